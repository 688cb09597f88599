<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>AppController</name>
    <message>
        <source>A sync is already running.</source>
        <translation>Une synchronisation est déjà en cours.</translation>
    </message>
    <message>
        <source>crocoqb run is syncing this data; quit it to sync here.</source>
        <translation>crocoqb run synchronise déjà ces données ; arrêtez-le pour synchroniser ici.</translation>
    </message>
</context>
<context>
    <name>Attention</name>
    <message>
        <source>Retry</source>
        <translation>Réessayer</translation>
    </message>
    <message>
        <source>Resend</source>
        <translation>Renvoyer</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>Ignorer</translation>
    </message>
    <message>
        <source>Relink…</source>
        <translation>Relier…</translation>
    </message>
    <message>
        <source>Invoice %1</source>
        <translation>Facture %1</translation>
    </message>
    <message>
        <source>Payment %1</source>
        <translation>Paiement %1</translation>
    </message>
    <message>
        <source>Refund %1</source>
        <translation>Remboursement %1</translation>
    </message>
    <message>
        <source>Payout %1</source>
        <translation>Versement %1</translation>
    </message>
    <message>
        <source>Contact %1</source>
        <translation>Contact %1</translation>
    </message>
    <message>
        <source>What to do: %1</source>
        <translation>Que faire&#xa0;: %1</translation>
    </message>
    <message>
        <source>CrocoClick id: %1</source>
        <translation>Identifiant CrocoClick&#xa0;: %1</translation>
    </message>
    <message>
        <source>These records are not in QuickBooks as they are in CrocoClick. Nothing is lost: each waits for your choice.</source>
        <translation>Ces éléments ne sont pas dans QuickBooks tels qu&apos;ils sont dans CrocoClick. Rien n&apos;est perdu&#xa0;: chacun attend votre choix.</translation>
    </message>
    <message>
        <source>Nothing needs your attention: every record is synced or on its way.</source>
        <translation>Rien ne demande votre attention&#xa0;: chaque élément est synchronisé ou en cours d&apos;envoi.</translation>
    </message>
    <message>
        <source>Choose the QuickBooks customer</source>
        <translation>Choisir le client QuickBooks</translation>
    </message>
    <message>
        <source>%1 will use the customer you choose. Search by name or email:</source>
        <translation>%1 utilisera le client choisi. Cherchez par nom ou par e-mail&#xa0;:</translation>
    </message>
    <message>
        <source>Name or email</source>
        <translation>Nom ou e-mail</translation>
    </message>
    <message>
        <source>Use this customer</source>
        <translation>Utiliser ce client</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Recherche…</translation>
    </message>
    <message numerus="yes">
        <source>%n customer(s) found</source>
        <translation>
            <numerusform>%n client trouvé</numerusform>
            <numerusform>%n clients trouvés</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CheckPage</name>
    <message>
        <source>Check again</source>
        <extracomment>the report&apos;s rows in the order the table shows them</extracomment>
        <translation>Vérifier de nouveau</translation>
    </message>
    <message>
        <source>QuickBooks settings that change the sync</source>
        <translation>Paramètres de QuickBooks qui changent la synchronisation</translation>
    </message>
    <message>
        <source>Where CrocoClick&apos;s data goes in QuickBooks</source>
        <translation>Où vont les données de CrocoClick dans QuickBooks</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>Paramètre</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Valeur</translation>
    </message>
    <message>
        <source>What CrocoQB does</source>
        <translation>Ce que fait CrocoQB</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Quoi</translation>
    </message>
    <message>
        <source>In CrocoClick</source>
        <translation>Dans CrocoClick</translation>
    </message>
    <message>
        <source>In QuickBooks</source>
        <translation>Dans QuickBooks</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Pourquoi</translation>
    </message>
    <message>
        <source>Use automatic</source>
        <translation>Choix automatique</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Choisir…</translation>
    </message>
    <message>
        <source>What to do: %1</source>
        <translation>Que faire : %1</translation>
    </message>
    <message>
        <source>Checking QuickBooks and CrocoClick… (nothing is changed in either)</source>
        <translation>Vérification de QuickBooks et de CrocoClick… (rien n&apos;est modifié, ni d&apos;un côté ni de l&apos;autre)</translation>
    </message>
    <message>
        <source>The check could not run: %1</source>
        <translation>La vérification n&apos;a pas pu se faire : %1</translation>
    </message>
    <message>
        <source>Press Check again to see where each thing will go in QuickBooks, before it is synced.</source>
        <translation>Cliquez sur Vérifier de nouveau pour voir où chaque élément ira dans QuickBooks, avant qu&apos;il soit synchronisé.</translation>
    </message>
    <message>
        <source>Ready: everything CrocoClick sends has a place in QuickBooks.</source>
        <translation>Prêt : tout ce qu&apos;envoie CrocoClick a sa place dans QuickBooks.</translation>
    </message>
    <message numerus="yes">
        <source>%n thing(s) cannot go to QuickBooks yet. Select a red line to see what to do.</source>
        <translation>
            <numerusform>%n élément ne peut pas encore aller dans QuickBooks. Sélectionnez une ligne rouge pour savoir quoi faire.</numerusform>
            <numerusform>%n éléments ne peuvent pas encore aller dans QuickBooks. Sélectionnez une ligne rouge pour savoir quoi faire.</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot map yet</source>
        <translation>Pas encore de correspondance</translation>
    </message>
    <message>
        <source>(created at the first sync)</source>
        <translation>(créé à la première synchronisation)</translation>
    </message>
    <message>
        <source>Custom transaction numbers</source>
        <translation>Numéros de transaction personnalisés</translation>
    </message>
    <message>
        <source>Automated sales tax</source>
        <translation>Taxe de vente automatisée</translation>
    </message>
    <message>
        <source>Multicurrency</source>
        <translation>Multidevise</translation>
    </message>
    <message>
        <source>Class and location tracking</source>
        <translation>Suivi des catégories et des emplacements</translation>
    </message>
    <message>
        <source>Closing date</source>
        <translation>Date de clôture</translation>
    </message>
    <message>
        <source>On</source>
        <translation>Activé</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Désactivé</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Aucune</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>Catégorie</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Emplacement</translation>
    </message>
    <message>
        <source>Class and location</source>
        <translation>Catégorie et emplacement</translation>
    </message>
    <message>
        <source>Your choice</source>
        <translation>Votre choix</translation>
    </message>
    <message>
        <source>Same name</source>
        <translation>Même nom</translation>
    </message>
    <message>
        <source>Same rate</source>
        <translation>Même taux</translation>
    </message>
    <message>
        <source>Linked product</source>
        <translation>Produit lié</translation>
    </message>
    <message>
        <source>Created at the first sync</source>
        <translation>Créé à la première synchronisation</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>Par défaut</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <source>Home currency</source>
        <translation>Devise de référence</translation>
    </message>
    <message>
        <source>Not chosen</source>
        <translation>Non choisi</translation>
    </message>
</context>
<context>
    <name>CrocoCard</name>
    <message>
        <source>CrocoClick</source>
        <translation>CrocoClick</translation>
    </message>
    <message>
        <source>Create an API key in CrocoClick (Settings &gt; Integrations &gt; API keys) and paste it here with your location id.</source>
        <translation>Créez une clé API dans CrocoClick (Paramètres &gt; Intégrations &gt; Clés API) et collez-la ici avec l&apos;identifiant de votre emplacement.</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>Clé API</translation>
    </message>
    <message>
        <source>Location id</source>
        <translation>ID d&apos;emplacement</translation>
    </message>
    <message>
        <source>Check and save</source>
        <translation>Vérifier et enregistrer</translation>
    </message>
    <message>
        <source>Saved in the system keychain. Paste a new key to replace it.</source>
        <translation>Enregistrée dans le trousseau du système. Collez une nouvelle clé pour la remplacer.</translation>
    </message>
    <message>
        <source>Paste your CrocoClick API key</source>
        <translation>Collez votre clé API CrocoClick</translation>
    </message>
    <message>
        <source>for example loc_123abc</source>
        <translation>par exemple loc_123abc</translation>
    </message>
    <message>
        <source>Checking with CrocoClick…</source>
        <translation>Vérification auprès de CrocoClick…</translation>
    </message>
    <message>
        <source>Connected to %1</source>
        <translation>Connecté à %1</translation>
    </message>
</context>
<context>
    <name>LogModel</name>
    <message>
        <source>Time</source>
        <translation>Heure</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Niveau</translation>
    </message>
    <message>
        <source>Direction</source>
        <translation>Sens</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Élément</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Message</translation>
    </message>
</context>
<context>
    <name>LogViewer</name>
    <message>
        <source>CrocoQB log</source>
        <translation>Journal CrocoQB</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>Afficher&#xa0;:</translation>
    </message>
    <message>
        <source>Everything</source>
        <translation>Tout</translation>
    </message>
    <message>
        <source>Warnings and errors</source>
        <translation>Avertissements et erreurs</translation>
    </message>
    <message>
        <source>Errors only</source>
        <translation>Erreurs seulement</translation>
    </message>
    <message>
        <source>Both directions</source>
        <translation>Les deux sens</translation>
    </message>
    <message>
        <source>All records</source>
        <translation>Tous les éléments</translation>
    </message>
    <message>
        <source>Search messages and ids</source>
        <translation>Rechercher dans les messages et les identifiants</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copier</translation>
    </message>
    <message>
        <source>Open log folder</source>
        <translation>Ouvrir le dossier du journal</translation>
    </message>
    <message>
        <source>Export diagnostic bundle…</source>
        <translation>Exporter un diagnostic…</translation>
    </message>
    <message>
        <source>Log file: %1</source>
        <translation>Fichier journal&#xa0;: %1</translation>
    </message>
    <message>
        <source>Select a row to see what happened and what to do.</source>
        <translation>Sélectionnez une ligne pour voir ce qui s&apos;est passé et quoi faire.</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Quand</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Niveau</translation>
    </message>
    <message>
        <source>Direction</source>
        <translation>Sens</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Élément</translation>
    </message>
    <message>
        <source>CrocoClick id</source>
        <translation>ID CrocoClick</translation>
    </message>
    <message>
        <source>QuickBooks id</source>
        <translation>ID QuickBooks</translation>
    </message>
    <message>
        <source>Export diagnostic bundle</source>
        <translation>Exporter un diagnostic</translation>
    </message>
    <message>
        <source>Zip files (*.zip)</source>
        <translation>Fichiers zip (*.zip)</translation>
    </message>
    <message>
        <source>Diagnostic bundle saved: %1</source>
        <translation>Diagnostic enregistré&#xa0;: %1</translation>
    </message>
    <message>
        <source>The bundle could not be saved: %1</source>
        <translation>Le diagnostic n&apos;a pas pu être enregistré&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>Demo: a sample CrocoClick account and QuickBooks company run on this computer. Nothing real is changed.</source>
        <translation>Démo&#xa0;: un compte CrocoClick et une entreprise QuickBooks d&apos;exemple tournent sur cet ordinateur. Rien de réel n&apos;est modifié.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>CrocoQB: QuickBooks and CrocoClick</source>
        <extracomment>True when a tray icon keeps the app running: closing the window then only hides it</extracomment>
        <translation>CrocoQB&#xa0;: QuickBooks et CrocoClick</translation>
    </message>
    <message>
        <source>Keeps QuickBooks Online in sync with CrocoClick</source>
        <translation>Garde QuickBooks Online synchronisé avec CrocoClick</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Journal</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Connexion</translation>
    </message>
    <message>
        <source>What is synced</source>
        <translation>Ce qui est synchronisé</translation>
    </message>
    <message numerus="yes">
        <source>Needs attention (%n)</source>
        <translation>
            <numerusform>À traiter (%n)</numerusform>
            <numerusform>À traiter (%n)</numerusform>
        </translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Vérification</translation>
    </message>
    <message>
        <source>Payouts</source>
        <translation>Versements</translation>
    </message>
    <message>
        <source>Reconnect</source>
        <translation>Reconnecter</translation>
    </message>
    <message>
        <source>Open the log</source>
        <translation>Ouvrir le journal</translation>
    </message>
    <message>
        <source>Enter the key</source>
        <translation>Saisir la clé</translation>
    </message>
    <message>
        <source>Show them</source>
        <translation>Les afficher</translation>
    </message>
</context>
<context>
    <name>MappingEditor</name>
    <message>
        <source>Choose where it goes in QuickBooks</source>
        <translation>Choisir où cela va dans QuickBooks</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1 : %2</translation>
    </message>
    <message>
        <source>%1 (Id %2)</source>
        <translation>%1 (Id %2)</translation>
    </message>
    <message>
        <source>Only active QuickBooks entries that fit are listed. Type to filter. Your choice always wins over the automatic one.</source>
        <translation>Seules les entrées actives de QuickBooks qui conviennent sont proposées. Tapez pour filtrer. Votre choix l&apos;emporte toujours sur le choix automatique.</translation>
    </message>
</context>
<context>
    <name>Mappings</name>
    <message>
        <source>Tax</source>
        <translation>Taxe</translation>
    </message>
    <message>
        <source>Product or line</source>
        <translation>Produit ou ligne</translation>
    </message>
    <message>
        <source>Payments from</source>
        <translation>Paiements provenant de</translation>
    </message>
    <message>
        <source>Clearing account</source>
        <translation>Compte d&apos;attente</translation>
    </message>
    <message>
        <source>Fees account</source>
        <translation>Compte des frais</translation>
    </message>
    <message>
        <source>Payout bank account</source>
        <translation>Compte bancaire des virements</translation>
    </message>
    <message>
        <source>Adjustments account</source>
        <translation>Compte des ajustements</translation>
    </message>
    <message>
        <source>Payment method</source>
        <translation>Mode de paiement</translation>
    </message>
    <message>
        <source>Currency</source>
        <translation>Devise</translation>
    </message>
    <message>
        <source>Deposit account setting</source>
        <translation>Paramètre du compte de dépôt</translation>
    </message>
    <message>
        <source>Order forms</source>
        <translation>Formulaires de commande</translation>
    </message>
    <message>
        <source>Subscriptions</source>
        <translation>Abonnements</translation>
    </message>
    <message>
        <source>Checkouts</source>
        <translation>Paiements en boutique</translation>
    </message>
    <message>
        <source>Calendar bookings</source>
        <translation>Réservations d&apos;agenda</translation>
    </message>
    <message>
        <source>Manual payments</source>
        <translation>Paiements saisis à la main</translation>
    </message>
    <message>
        <source>Invoice payments</source>
        <translation>Paiements de factures</translation>
    </message>
    <message>
        <source>QuickBooks tax code</source>
        <translation>Code de taxe QuickBooks</translation>
    </message>
    <message>
        <source>QuickBooks product or service</source>
        <translation>Produit ou service QuickBooks</translation>
    </message>
    <message>
        <source>Deposit to account</source>
        <translation>Compte de dépôt</translation>
    </message>
    <message>
        <source>QuickBooks account</source>
        <translation>Compte QuickBooks</translation>
    </message>
</context>
<context>
    <name>Payouts</name>
    <message>
        <source>Card processors such as Stripe pay you the net amount days later, several sales at once, minus their fees and refunds. With clearing on, QuickBooks follows the money the same way: each sale goes into a clearing account for the processor (&quot;CrocoClick Payments - stripe&quot;), its fee becomes an expense (&quot;Merchant fees&quot;), and each payout becomes one transfer of exactly its amount to your bank, so the deposit in your bank feed matches one transaction to the cent.</source>
        <translation>Les processeurs de paiement comme Stripe vous versent le montant net quelques jours plus tard, pour plusieurs ventes à la fois, moins leurs frais et les remboursements. Avec le compte d&apos;attente activé, QuickBooks suit l&apos;argent de la même façon : chaque vente entre dans un compte d&apos;attente du processeur (« CrocoClick Payments - stripe »), ses frais deviennent une dépense (« Merchant fees »), et chaque versement devient un seul virement de son montant exact vers votre banque : le dépôt de votre relevé bancaire correspond à une seule opération, au centime près.</translation>
    </message>
    <message>
        <source>Example: a customer pays $100.00 by card and Stripe keeps a $3.20 fee. QuickBooks gets the $100.00 sale in the clearing account and a $3.20 expense. Two days later Stripe pays $296.40 for this and other sales: QuickBooks gets one $296.40 transfer from the clearing account to your bank. The clearing account then holds what Stripe still owes you.</source>
        <translation>Exemple : un client paie 100,00 $ par carte et Stripe garde 3,20 $ de frais. QuickBooks reçoit la vente de 100,00 $ dans le compte d&apos;attente et une dépense de 3,20 $. Deux jours plus tard, Stripe verse 296,40 $ pour cette vente et d&apos;autres : QuickBooks reçoit un seul virement de 296,40 $ du compte d&apos;attente vers votre banque. Le compte d&apos;attente contient alors ce que Stripe vous doit encore.</translation>
    </message>
    <message>
        <source>It applies to payments from the moment you turn it on; what is already in QuickBooks stays as it is. Cash, cheques and manual payments are not affected.</source>
        <translation>Cela s&apos;applique aux paiements à partir du moment où vous l&apos;activez ; ce qui est déjà dans QuickBooks reste tel quel. Les espèces, chèques et paiements saisis à la main ne sont pas concernés.</translation>
    </message>
</context>
<context>
    <name>PayoutsPage</name>
    <message>
        <source>Refresh</source>
        <translation>Actualiser</translation>
    </message>
    <message>
        <source>Where payouts go</source>
        <translation>Où vont les versements</translation>
    </message>
    <message>
        <source>Arrival</source>
        <translation>Arrivée</translation>
    </message>
    <message>
        <source>Payout or item</source>
        <translation>Versement ou élément</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Montant</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Clearing is on: payouts are recorded as transfers to your bank</source>
        <translation>Compte d&apos;attente activé : les versements sont enregistrés comme virements vers votre banque</translation>
    </message>
    <message>
        <source>Clearing is off: card payments are recorded as gross sales receipts</source>
        <translation>Compte d&apos;attente désactivé : les paiements par carte sont enregistrés comme reçus de vente bruts</translation>
    </message>
    <message>
        <source>Each paid payout becomes one transfer to your bank once everything it settles is in QuickBooks.</source>
        <translation>Chaque versement payé devient un seul virement vers votre banque dès que tout ce qu&apos;il règle est dans QuickBooks.</translation>
    </message>
    <message>
        <source>Turn it on in Settings &gt; Fees and payouts.</source>
        <translation>Activez-le dans Paramètres &gt; Frais et versements.</translation>
    </message>
    <message>
        <source>{account}: QuickBooks shows {balance}, but the payments not paid out yet come to {expected} (a difference of {drift}). A transaction in this account was changed or deleted in QuickBooks: compare its register with this list.</source>
        <translation>{account} : QuickBooks indique {balance}, mais les paiements pas encore versés font {expected} (un écart de {drift}). Une opération de ce compte a été modifiée ou supprimée dans QuickBooks : comparez son registre avec cette liste.</translation>
    </message>
    <message>
        <source>{account}: {balance}, what {provider} still holds for you. Balanced.</source>
        <translation>{account} : {balance}, ce que {provider} détient encore pour vous. Équilibré.</translation>
    </message>
    <message>
        <source>The balance could not be checked: {reason}</source>
        <translation>Le solde n&apos;a pas pu être vérifié : {reason}</translation>
    </message>
    <message>
        <source>{provider} pays into</source>
        <translation>{provider} verse sur</translation>
    </message>
    <message>
        <source>Choose a bank account</source>
        <translation>Choisissez un compte bancaire</translation>
    </message>
    <message>
        <source>Disputes and reserves of {provider}</source>
        <translation>Litiges et réserves de {provider}</translation>
    </message>
    <message>
        <source>Choose an expense or income account</source>
        <translation>Choisissez un compte de dépenses ou de revenus</translation>
    </message>
    <message>
        <source>clearing: {name}</source>
        <translation>compte d&apos;attente : {name}</translation>
    </message>
    <message>
        <source>clearing: created at the first payment</source>
        <translation>compte d&apos;attente : créé au premier paiement</translation>
    </message>
    <message>
        <source>fees: {name}</source>
        <translation>frais : {name}</translation>
    </message>
    <message>
        <source>fees: &quot;Merchant fees&quot;, created at the first payment</source>
        <translation>frais : « Merchant fees », créé au premier paiement</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>En attente</translation>
    </message>
    <message>
        <source>Booked</source>
        <translation>Enregistré</translation>
    </message>
    <message>
        <source>Failed at the bank, nothing booked</source>
        <translation>Refusé par la banque, rien d&apos;enregistré</translation>
    </message>
    <message>
        <source>Failed at the bank, transfer reversed</source>
        <translation>Refusé par la banque, virement annulé</translation>
    </message>
    <message>
        <source>Failed at the bank, reversing</source>
        <translation>Refusé par la banque, annulation en cours</translation>
    </message>
    <message>
        <source>To record by hand</source>
        <translation>À enregistrer à la main</translation>
    </message>
    <message>
        <source>Recorded before clearing</source>
        <translation>Enregistré avant le compte d&apos;attente</translation>
    </message>
    <message>
        <source>No payouts yet</source>
        <translation>Aucun versement pour l&apos;instant</translation>
    </message>
    <message>
        <source>payment {id}</source>
        <translation>paiement {id}</translation>
    </message>
    <message>
        <source>refund {id}</source>
        <translation>remboursement {id}</translation>
    </message>
    <message>
        <source>adjustment</source>
        <translation>ajustement</translation>
    </message>
    <message>
        <source>in QuickBooks</source>
        <translation>dans QuickBooks</translation>
    </message>
    <message>
        <source>not in QuickBooks yet</source>
        <translation>pas encore dans QuickBooks</translation>
    </message>
</context>
<context>
    <name>PayoutsSettingsBox</name>
    <message>
        <source>Fees and payouts</source>
        <translation>Frais et versements</translation>
    </message>
    <message>
        <source>Record card payments through a clearing account (fees and payouts)</source>
        <translation>Enregistrer les paiements par carte dans un compte d&apos;attente (frais et versements)</translation>
    </message>
    <message>
        <source>Then choose the bank account each processor pays into, on the Payouts tab.</source>
        <translation>Choisissez ensuite, dans l&apos;onglet Versements, le compte bancaire sur lequel chaque processeur verse.</translation>
    </message>
</context>
<context>
    <name>Problems</name>
    <message>
        <source>CrocoClick is not connected</source>
        <translation>CrocoClick n&apos;est pas connecté</translation>
    </message>
    <message>
        <source>CrocoQB needs your CrocoClick API key to read and update your contacts, invoices and payments.</source>
        <translation>CrocoQB a besoin de votre clé API CrocoClick pour lire et mettre à jour vos contacts, factures et paiements.</translation>
    </message>
    <message>
        <source>In the CrocoClick card, paste an API key (CrocoClick: Settings &gt; Integrations &gt; API keys) and your location id, then press Check and save.</source>
        <translation>Dans le cadre CrocoClick, collez une clé API (CrocoClick&#xa0;: Paramètres &gt; Intégrations &gt; Clés API) et l&apos;ID de votre emplacement, puis cliquez sur Vérifier et enregistrer.</translation>
    </message>
    <message>
        <source>QuickBooks needs to be reconnected</source>
        <translation>QuickBooks doit être reconnecté</translation>
    </message>
    <message>
        <source>QuickBooks no longer accepts CrocoQB&apos;s access (it was revoked, expired or replaced). Nothing is lost: changes wait until you reconnect.</source>
        <translation>QuickBooks n&apos;accepte plus l&apos;accès de CrocoQB (autorisation révoquée, expirée ou remplacée). Rien n&apos;est perdu&#xa0;: les modifications attendent que vous reconnectiez.</translation>
    </message>
    <message>
        <source>Press Reconnect, sign in to QuickBooks and accept.</source>
        <translation>Cliquez sur Reconnecter, connectez-vous à QuickBooks et acceptez les autorisations.</translation>
    </message>
    <message>
        <source>The other records were synced. Each one waits for your choice under Needs attention.</source>
        <translation>Les autres éléments ont été synchronisés. Chacun attend votre choix dans À traiter.</translation>
    </message>
    <message>
        <source>Open Needs attention and choose what to do for each record; the log has the details.</source>
        <translation>Ouvrez À traiter et choisissez quoi faire pour chaque élément&#xa0;; le journal donne les détails.</translation>
    </message>
    <message numerus="yes">
        <source>%n record(s) could not be synced</source>
        <translation>
            <numerusform>%n élément n&apos;a pas pu être synchronisé</numerusform>
            <numerusform>%n éléments n&apos;ont pas pu être synchronisés</numerusform>
        </translation>
    </message>
    <message>
        <source>The last sync did not finish</source>
        <translation>La dernière synchronisation n&apos;a pas abouti</translation>
    </message>
    <message>
        <source>The sync tries again automatically. If it keeps failing, export a diagnostic bundle from the log and send it to support.</source>
        <translation>La synchronisation réessaie automatiquement. Si l&apos;échec persiste, exportez un diagnostic depuis le journal et envoyez-le au support.</translation>
    </message>
</context>
<context>
    <name>ProfileBar</name>
    <message>
        <source>Business:</source>
        <translation>Entreprise&#xa0;:</translation>
    </message>
    <message>
        <source>Add profile…</source>
        <translation>Ajouter un profil…</translation>
    </message>
    <message>
        <source>Other businesses: %1</source>
        <translation>Autres entreprises&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>Profiles</name>
    <message>
        <source>Up to date</source>
        <translation>À jour</translation>
    </message>
    <message>
        <source>Syncing</source>
        <translation>Synchronisation en cours</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>À vérifier</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Non connecté</translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s)</source>
        <translation>
            <numerusform>%n problème</numerusform>
            <numerusform>%n problèmes</numerusform>
        </translation>
    </message>
    <message>
        <source>last sync %1</source>
        <translation>dernière synchro %1</translation>
    </message>
    <message>
        <source>Add a profile</source>
        <translation>Ajouter un profil</translation>
    </message>
    <message>
        <source>A short name for the new business (letters, digits, &apos;-&apos; or &apos;_&apos;), for example boutique-paris:</source>
        <translation>Un nom court pour la nouvelle entreprise (lettres, chiffres, «&#xa0;-&#xa0;» ou «&#xa0;_&#xa0;»), par exemple boutique-paris&#xa0;:</translation>
    </message>
</context>
<context>
    <name>ProfilesTray</name>
    <message numerus="yes">
        <source>All %n business(es) up to date</source>
        <translation>
            <numerusform>%n entreprise à jour</numerusform>
            <numerusform>Les %n entreprises sont à jour</numerusform>
        </translation>
    </message>
    <message>
        <source>Syncing: %1</source>
        <translation>Synchronisation&#xa0;: %1</translation>
    </message>
    <message>
        <source>A problem needs your attention</source>
        <translation>Un problème demande votre attention</translation>
    </message>
    <message>
        <source>%1: not connected, open CrocoQB to finish the set-up</source>
        <translation>%1&#xa0;: non connecté, ouvrez CrocoQB pour terminer la mise en place</translation>
    </message>
    <message>
        <source>Sync all now</source>
        <translation>Tout synchroniser maintenant</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Synchroniser maintenant</translation>
    </message>
    <message>
        <source>Open CrocoQB</source>
        <translation>Ouvrir CrocoQB</translation>
    </message>
    <message>
        <source>Resume syncing</source>
        <translation>Reprendre la synchronisation</translation>
    </message>
    <message>
        <source>Pause syncing</source>
        <translation>Mettre en pause</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Quitter</translation>
    </message>
</context>
<context>
    <name>QboCard</name>
    <message>
        <source>QuickBooks Online</source>
        <extracomment>asks &quot;Disconnect?&quot;; replaceable (tests)</extracomment>
        <translation>QuickBooks Online</translation>
    </message>
    <message>
        <source>Choose the options first, then connect.</source>
        <translation>Activez d&apos;abord les options souhaitées, puis connectez.</translation>
    </message>
    <message>
        <source>Import invoices</source>
        <translation>Importer les factures</translation>
    </message>
    <message>
        <source>Review automation</source>
        <translation>Automatisation d&apos;avis</translation>
    </message>
    <message>
        <source>Ask a customer for a review when their first invoice is fully paid in QuickBooks (optional).</source>
        <translation>Demande un avis au client lorsque sa première facture est entièrement payée dans QuickBooks (optionnel).</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Connecter</translation>
    </message>
    <message>
        <source>You will sign in to QuickBooks in your browser and accept the permissions requested.</source>
        <translation>Vous vous connecterez à votre compte QuickBooks dans le navigateur et accepterez les autorisations demandées.</translation>
    </message>
    <message>
        <source>Sign in to QuickBooks in your browser and accept. Waiting for QuickBooks…</source>
        <translation>Connectez-vous à QuickBooks dans le navigateur et acceptez les autorisations. En attente de QuickBooks…</translation>
    </message>
    <message>
        <source>If the browser did not open, open this address yourself:</source>
        <translation>Si le navigateur ne s&apos;est pas ouvert, ouvrez vous-même cette adresse&#xa0;:</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copier</translation>
    </message>
    <message>
        <source>Open again</source>
        <translation>Rouvrir</translation>
    </message>
    <message>
        <source>Landed on a page showing a code? Paste the page&apos;s address or the code here:</source>
        <translation>Vous êtes arrivé sur une page qui affiche un code&#xa0;? Collez ici l&apos;adresse de la page ou le code&#xa0;:</translation>
    </message>
    <message>
        <source>Paste the code or the address</source>
        <translation>Collez le code ou l&apos;adresse</translation>
    </message>
    <message>
        <source>Use this code</source>
        <translation>Utiliser ce code</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>Connectée</translation>
    </message>
    <message>
        <source>Disconnect</source>
        <translation>Déconnecter</translation>
    </message>
    <message>
        <source>Reconnect</source>
        <translation>Reconnecter</translation>
    </message>
    <message>
        <source>Import your past QuickBooks invoices into CrocoClick when you connect (optional). Can only be changed before connecting.</source>
        <translation>Importe vos factures QuickBooks passées dans CrocoClick lors de la connexion (optionnel). Modifiable uniquement avant de connecter.</translation>
    </message>
    <message>
        <source>Can only be changed before connecting. To change it, disconnect first.</source>
        <translation>Modifiable uniquement avant de connecter. Pour le changer, déconnectez d&apos;abord.</translation>
    </message>
    <message>
        <source>Connect CrocoClick first (the card above): QuickBooks is connected through your CrocoClick account.</source>
        <translation>Connectez d&apos;abord CrocoClick (cadre ci-dessus)&#xa0;: QuickBooks est connecté via votre compte CrocoClick.</translation>
    </message>
    <message>
        <source>Reconnect needed: %1</source>
        <translation>Reconnexion nécessaire&#xa0;: %1</translation>
    </message>
    <message>
        <source>Reconnect needed</source>
        <translation>Reconnexion nécessaire</translation>
    </message>
    <message>
        <source>QuickBooks no longer accepts CrocoQB&apos;s access (revoked, expired or replaced). Reconnect to resume syncing; nothing is lost.</source>
        <translation>QuickBooks n&apos;accepte plus l&apos;accès de CrocoQB (autorisation révoquée, expirée ou remplacée). Reconnectez pour reprendre la synchronisation, rien n&apos;est perdu.</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Copié</translation>
    </message>
    <message>
        <source>Disconnect QuickBooks?</source>
        <translation>Déconnecter QuickBooks&#xa0;?</translation>
    </message>
    <message>
        <source>CrocoQB will stop syncing with %1 and forget its access. You can connect again later.</source>
        <translation>CrocoQB arrêtera de synchroniser avec %1 et oubliera son accès. Vous pourrez reconnecter plus tard.</translation>
    </message>
    <message>
        <source>QuickBooks</source>
        <translation>QuickBooks</translation>
    </message>
</context>
<context>
    <name>RulesPage</name>
    <message>
        <source>On</source>
        <translation>Activé</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Désactivé</translation>
    </message>
    <message>
        <source>These are the rules CrocoQB follows now. The optional ones follow the toggles of the QuickBooks card.</source>
        <translation>Voici les règles que CrocoQB applique actuellement. Les règles optionnelles suivent les options du cadre QuickBooks.</translation>
    </message>
    <message>
        <source>When something goes wrong</source>
        <translation>En cas de problème</translation>
    </message>
    <message>
        <source>Revoked access, a missing CrocoClick key, items or taxes that cannot be matched and duplicates each show as a problem with what to do, in this window, in the log and as a notification. Records that fail are retried at the next sync once fixed.</source>
        <translation>Un accès révoqué, une clé CrocoClick manquante, des produits ou des taxes impossibles à faire correspondre et les doublons s&apos;affichent chacun comme un problème, avec la marche à suivre, dans cette fenêtre, dans le journal et en notification. Une fois corrigés, les éléments en échec sont réessayés à la synchronisation suivante.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>CrocoQB settings</source>
        <translation>Paramètres de CrocoQB</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Synchronisation</translation>
    </message>
    <message>
        <source>QuickBooks</source>
        <translation>QuickBooks</translation>
    </message>
    <message>
        <source>Application</source>
        <translation>Application</translation>
    </message>
    <message>
        <source>Send changes to QuickBooks every</source>
        <translation>Envoyer les modifications à QuickBooks toutes les</translation>
    </message>
    <message>
        <source>If CrocoClick cannot report changes at once, check it every</source>
        <translation>Si CrocoClick ne peut pas signaler les changements aussitôt, le consulter toutes les</translation>
    </message>
    <message>
        <source>Check QuickBooks for changes every</source>
        <translation>Vérifier les modifications dans QuickBooks toutes les</translation>
    </message>
    <message>
        <source>Changes in CrocoClick reach QuickBooks within seconds. Each QuickBooks check is one request of the 500 a minute QuickBooks allows your company, shared with your other apps: every 60 seconds costs 1,440 a day; every 10 seconds, 8,640 a day and less room for a large catch-up.</source>
        <translation>Les changements faits dans CrocoClick arrivent dans QuickBooks en quelques secondes. Chaque vérification de QuickBooks est une requête sur les 500 par minute que QuickBooks accorde à votre entreprise, partagées avec vos autres applications : toutes les 60 secondes, cela fait 1 440 par jour ; toutes les 10 secondes, 8 640 par jour et moins de marge pour un gros rattrapage.</translation>
    </message>
    <message>
        <source>seconds</source>
        <translation>secondes</translation>
    </message>
    <message>
        <source>Deposit account for sales receipts</source>
        <translation>Compte de dépôt des reçus de paiement</translation>
    </message>
    <message>
        <source>Item for lines that match nothing</source>
        <translation>Produit pour les lignes sans correspondance</translation>
    </message>
    <message>
        <source>Create a service item (default)</source>
        <translation>Créer un produit service (par défaut)</translation>
    </message>
    <message>
        <source>Send review requests by</source>
        <translation>Envoyer les demandes d&apos;avis par</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>SMS</source>
        <translation>SMS</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <source>Same as the system</source>
        <translation>Celle du système</translation>
    </message>
    <message>
        <source>Start CrocoQB when I log in</source>
        <translation>Lancer CrocoQB à l&apos;ouverture de session</translation>
    </message>
    <message>
        <source>The language changes as soon as you save.</source>
        <translation>La langue change dès l&apos;enregistrement.</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Enregistrer</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
</context>
<context>
    <name>StatusStrip</name>
    <message>
        <source>Last synced: %1</source>
        <translation>Dernière synchronisation&#xa0;: %1</translation>
    </message>
    <message>
        <source>syncing now</source>
        <translation>en cours</translation>
    </message>
    <message>
        <source>as soon as CrocoClick reports a change</source>
        <translation>dès qu&apos;un changement arrive</translation>
    </message>
    <message>
        <source>when CrocoClick can be reached again (retrying)</source>
        <translation>quand CrocoClick sera de nouveau joignable (nouvel essai en cours)</translation>
    </message>
    <message>
        <source>Next sync: %1</source>
        <translation>Prochaine synchronisation&#xa0;: %1</translation>
    </message>
    <message>
        <source>Pending: %1</source>
        <translation>En attente&#xa0;: %1</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>En échec&#xa0;: %1</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Reprendre</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Synchroniser maintenant</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>Synchronisation…</translation>
    </message>
    <message>
        <source>Sync finished: %1 created, %2 updated, %3 failed</source>
        <translation>Synchronisation terminée&#xa0;: %1 créés, %2 mis à jour, %3 en échec</translation>
    </message>
    <message>
        <source>The sync did not finish: %1</source>
        <translation>La synchronisation n&apos;a pas abouti&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>Texts</name>
    <message>
        <source>What to do:</source>
        <translation>Que faire&#xa0;:</translation>
    </message>
    <message>
        <source>Record:</source>
        <translation>Élément&#xa0;:</translation>
    </message>
    <message>
        <source>CrocoClick id:</source>
        <translation>ID CrocoClick&#xa0;:</translation>
    </message>
    <message>
        <source>QuickBooks id:</source>
        <translation>ID QuickBooks&#xa0;:</translation>
    </message>
    <message>
        <source>Undeposited Funds</source>
        <translation>Fonds non déposés</translation>
    </message>
    <message>
        <source>Importing QuickBooks customers</source>
        <translation>Import des clients QuickBooks</translation>
    </message>
    <message>
        <source>Importing QuickBooks invoices</source>
        <translation>Import des factures QuickBooks</translation>
    </message>
    <message>
        <source>Sending to QuickBooks</source>
        <translation>Envoi vers QuickBooks</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Détail</translation>
    </message>
    <message>
        <source>Info</source>
        <translation>Info</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>Avertissement</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Erreur</translation>
    </message>
    <message>
        <source>To QuickBooks</source>
        <translation>Vers QuickBooks</translation>
    </message>
    <message>
        <source>To CrocoClick</source>
        <translation>Vers CrocoClick</translation>
    </message>
    <message>
        <source>App</source>
        <translation>Application</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Client</translation>
    </message>
    <message>
        <source>Invoice</source>
        <translation>Facture</translation>
    </message>
    <message>
        <source>Payment</source>
        <translation>Paiement</translation>
    </message>
    <message>
        <source>Refund</source>
        <translation>Remboursement</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Produit</translation>
    </message>
    <message>
        <source>Review request</source>
        <translation>Demande d&apos;avis</translation>
    </message>
    <message>
        <source>Imported invoice</source>
        <translation>Facture importée</translation>
    </message>
    <message>
        <source>CrocoClick refused the API key</source>
        <translation>CrocoClick a refusé la clé API</translation>
    </message>
    <message>
        <source>Check that the key was copied whole and is still active.</source>
        <translation>Vérifiez que la clé a été copiée en entier et qu&apos;elle est toujours active.</translation>
    </message>
    <message>
        <source>Create a new API key in CrocoClick (Settings &gt; Integrations &gt; API keys) and paste it here.</source>
        <translation>Créez une nouvelle clé API dans CrocoClick (Paramètres &gt; Intégrations &gt; Clés API) et collez-la ici.</translation>
    </message>
    <message>
        <source>CrocoClick refused access to this location</source>
        <translation>CrocoClick a refusé l&apos;accès à cet emplacement</translation>
    </message>
    <message>
        <source>The location id may be wrong, or the key lacks a permission.</source>
        <translation>L&apos;ID d&apos;emplacement est peut-être erroné, ou il manque une autorisation à la clé.</translation>
    </message>
    <message>
        <source>Check the location id and the API key&apos;s permissions in CrocoClick.</source>
        <translation>Vérifiez l&apos;ID d&apos;emplacement et les autorisations de la clé API dans CrocoClick.</translation>
    </message>
    <message>
        <source>Cannot reach the service</source>
        <translation>Service injoignable</translation>
    </message>
    <message>
        <source>Check the internet connection, then try again.</source>
        <translation>Vérifiez la connexion internet, puis réessayez.</translation>
    </message>
    <message>
        <source>The system keychain is not available</source>
        <translation>Le trousseau du système n&apos;est pas disponible</translation>
    </message>
    <message>
        <source>QuickBooks needs to be reconnected</source>
        <translation>QuickBooks doit être reconnecté</translation>
    </message>
    <message>
        <source>Press Reconnect, sign in to QuickBooks and accept.</source>
        <translation>Cliquez sur Reconnecter, connectez-vous à QuickBooks et acceptez les autorisations.</translation>
    </message>
    <message>
        <source>Something went wrong</source>
        <translation>Un problème est survenu</translation>
    </message>
    <message>
        <source>Unexpected error (%1).</source>
        <translation>Erreur inattendue (%1).</translation>
    </message>
    <message>
        <source>Export a diagnostic bundle from the log and send it to support.</source>
        <translation>Exportez un diagnostic depuis le journal et envoyez-le au support.</translation>
    </message>
    <message>
        <source>never</source>
        <translation>jamais</translation>
    </message>
    <message>
        <source>today at %1</source>
        <translation>aujourd&apos;hui à %1</translation>
    </message>
    <message>
        <source>yesterday at %1</source>
        <translation>hier à %1</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>en pause</translation>
    </message>
    <message>
        <source>after set-up</source>
        <translation>après la mise en place</translation>
    </message>
    <message>
        <source>not scheduled</source>
        <translation>non planifiée</translation>
    </message>
    <message>
        <source>in a moment</source>
        <translation>dans un instant</translation>
    </message>
    <message numerus="yes">
        <source>in %n second(s)</source>
        <translation>
            <numerusform>dans %n seconde</numerusform>
            <numerusform>dans %n secondes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>in %n minute(s)</source>
        <translation>
            <numerusform>dans %n minute</numerusform>
            <numerusform>dans %n minutes</numerusform>
        </translation>
    </message>
    <message>
        <source>at %1</source>
        <translation>à %1</translation>
    </message>
    <message>
        <source>SMS</source>
        <translation>SMS</translation>
    </message>
    <message>
        <source>email</source>
        <translation>e-mail</translation>
    </message>
    <message>
        <source>Each line item is matched to a QuickBooks product or service (by product, then by name). Lines that match nothing use the item &quot;%1&quot;.</source>
        <translation>Chaque ligne de facturation est rapprochée d&apos;un produit ou service QuickBooks (par produit, puis par nom). Les lignes sans correspondance utilisent le produit «&#xa0;%1&#xa0;».</translation>
    </message>
    <message>
        <source>Each line item is matched to a QuickBooks product or service (by product, then by name). Lines that match nothing get a new service item.</source>
        <translation>Chaque ligne de facturation est rapprochée d&apos;un produit ou service QuickBooks (par produit, puis par nom). Pour les lignes sans correspondance, un produit de type service est créé.</translation>
    </message>
    <message>
        <source>CrocoClick → QuickBooks</source>
        <translation>CrocoClick → QuickBooks</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>Clients</translation>
    </message>
    <message>
        <source>When a contact is billed or pays, a QuickBooks customer is created, or the existing one with the same email is updated (never duplicated). Later edits of linked contacts follow. If the name is already taken in QuickBooks, a unique name is chosen and the log says so.</source>
        <translation>Lorsqu&apos;un contact réalise une action facturable (facture envoyée, paiement), le client est créé dans QuickBooks, ou le client existant avec le même e-mail est mis à jour (jamais de doublon). Les modifications ultérieures des contacts liés suivent. Si le nom est déjà pris dans QuickBooks, un nom unique est choisi et le journal l&apos;indique.</translation>
    </message>
    <message>
        <source>Payments → sales receipts</source>
        <translation>Paiements → reçus de paiement</translation>
    </message>
    <message>
        <source>Successful payments from order forms, subscriptions, checkouts, calendar bookings and manual entries become sales receipts, deposited to %1. A payment of an invoice is recorded against that invoice, never as a second sale. Refunds become refund receipts.</source>
        <translation>Les paiements encaissés via les order forms, abonnements, checkouts, réservations de calendrier et saisies manuelles deviennent des reçus de paiement (sales receipts), déposés sur %1. Le paiement d&apos;une facture est enregistré sur cette facture, jamais comme une seconde vente. Les remboursements deviennent des reçus de remboursement.</translation>
    </message>
    <message>
        <source>Invoices</source>
        <translation>Factures</translation>
    </message>
    <message>
        <source>When an invoice is marked sent, it is created in QuickBooks; later changes follow (number, status, dates, amounts, lines, taxes, discount). Only invoices sent after the connection are sent automatically. Invoices imported from QuickBooks are never sent back.</source>
        <translation>Lorsqu&apos;une facture est marquée Envoyée, elle est créée dans QuickBooks, et ses modifications suivent (numéro, statut, dates, montants, lignes de facturation, taxes, remise). Seules les factures envoyées après la connexion sont synchronisées automatiquement. Les factures importées de QuickBooks n&apos;y sont jamais renvoyées.</translation>
    </message>
    <message>
        <source>Items, taxes and totals</source>
        <translation>Produits, taxes et totaux</translation>
    </message>
    <message>
        <source>Taxes follow your region. A tax that cannot be matched stops only that document, and the log says what to create in QuickBooks. Every total is compared with CrocoClick&apos;s.</source>
        <translation>Les taxes suivent votre région. Une taxe sans correspondance ne bloque que le document concerné, et le journal indique quoi créer dans QuickBooks. Chaque total est comparé à celui de CrocoClick.</translation>
    </message>
    <message>
        <source>QuickBooks → CrocoClick</source>
        <translation>QuickBooks → CrocoClick</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>Contacts</translation>
    </message>
    <message>
        <source>When you connect, all QuickBooks customers are imported (matched by email to your contacts first). New and changed customers keep coming, with a short delay.</source>
        <translation>À la connexion, tous les clients QuickBooks sont importés (rapprochés d&apos;abord de vos contacts par e-mail). Les clients nouveaux ou modifiés continuent de remonter, avec un court délai.</translation>
    </message>
    <message>
        <source>Import invoices</source>
        <translation>Importer les factures</translation>
    </message>
    <message>
        <source>When you connect, past QuickBooks invoices are imported into CrocoClick with their amounts paid.</source>
        <translation>À la connexion, les factures QuickBooks passées sont importées dans CrocoClick avec les montants déjà payés.</translation>
    </message>
    <message>
        <source>Off: past QuickBooks invoices are not imported. Only invoices sent after the connection are synced.</source>
        <translation>Désactivé&#xa0;: les factures QuickBooks passées ne sont pas importées. Seules les factures envoyées après la connexion sont synchronisées.</translation>
    </message>
    <message>
        <source>Review automation</source>
        <translation>Automatisation d&apos;avis</translation>
    </message>
    <message>
        <source>When a customer&apos;s first invoice is fully paid in QuickBooks, one review request is sent by %1 through CrocoClick, once per contact.</source>
        <translation>Lorsque la première facture d&apos;un client est entièrement payée dans QuickBooks, une demande d&apos;avis est envoyée par %1 via CrocoClick, une seule fois par contact.</translation>
    </message>
    <message>
        <source>Off: no review requests are sent.</source>
        <translation>Désactivé&#xa0;: aucune demande d&apos;avis n&apos;est envoyée.</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <source>Syncing: %1 (%2 of %3)</source>
        <translation>Synchronisation&#xa0;: %1 (%2 sur %3)</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>Synchronisation…</translation>
    </message>
    <message>
        <source>A problem needs your attention</source>
        <translation>Un problème demande votre attention</translation>
    </message>
    <message>
        <source>Not connected: open CrocoQB to finish the set-up</source>
        <translation>Non connecté&#xa0;: ouvrez CrocoQB pour terminer la mise en place</translation>
    </message>
    <message>
        <source>CrocoClick cannot be reached, retrying (last sync %1)</source>
        <translation>CrocoClick est injoignable, nouvel essai en cours (dernière synchronisation %1)</translation>
    </message>
    <message>
        <source>%1 waiting to be sent (last sync %2)</source>
        <translation>%1 en attente d&apos;envoi (dernière synchronisation %2)</translation>
    </message>
    <message>
        <source>Up to date (last sync %1)</source>
        <translation>À jour (dernière synchronisation %1)</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>en pause</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Synchroniser maintenant</translation>
    </message>
    <message>
        <source>Open CrocoQB</source>
        <translation>Ouvrir CrocoQB</translation>
    </message>
    <message>
        <source>Resume syncing</source>
        <translation>Reprendre la synchronisation</translation>
    </message>
    <message>
        <source>Pause syncing</source>
        <translation>Mettre en pause</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Quitter</translation>
    </message>
</context>
</TS>
