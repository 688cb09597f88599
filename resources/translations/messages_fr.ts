<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
    <context>
        <name>Messages</name>
        <message>
            <source>app.croco_connected</source>
            <extracomment>Connected to CrocoClick location {location_name}</extracomment>
            <translation>Connecté à l'emplacement CrocoClick {location_name}</translation>
        </message>
        <message>
            <source>app.croco_missing</source>
            <extracomment>CrocoClick is not connected yet</extracomment>
            <translation>CrocoClick n'est pas encore connecté</translation>
        </message>
        <message>
            <source>app.croco_missing.fix</source>
            <extracomment>Run `crocoqb croco-login --location-id &lt;LOCATION&gt;` (or use the CrocoClick card in the app) with an API key from CrocoClick: Settings &gt; Integrations &gt; API keys.</extracomment>
            <translation>Lancez `crocoqb croco-login --location-id &lt;EMPLACEMENT&gt;` (ou utilisez la carte CrocoClick de l'application) avec une clé API de CrocoClick : Paramètres &gt; Intégrations &gt; Clés API.</translation>
        </message>
        <message>
            <source>app.croco_missing.title</source>
            <extracomment>CrocoClick not connected</extracomment>
            <translation>CrocoClick non connecté</translation>
        </message>
        <message>
            <source>app.croco_not_connected</source>
            <extracomment>QuickBooks is connected through CrocoClick, and CrocoClick is not connected yet</extracomment>
            <translation>QuickBooks est connecté par CrocoClick, et CrocoClick n'est pas encore connecté</translation>
        </message>
        <message>
            <source>app.croco_not_connected.fix</source>
            <extracomment>Run `crocoqb croco-login --location-id &lt;LOCATION&gt;` (or use the CrocoClick card in the app) first, then connect QuickBooks.</extracomment>
            <translation>Lancez d'abord `crocoqb croco-login --location-id &lt;EMPLACEMENT&gt;` (ou utilisez la carte CrocoClick de l'application), puis connectez QuickBooks.</translation>
        </message>
        <message>
            <source>app.croco_not_connected.title</source>
            <extracomment>CrocoClick not connected</extracomment>
            <translation>CrocoClick non connecté</translation>
        </message>
        <message>
            <source>app.disconnected</source>
            <extracomment>Disconnected from QuickBooks</extracomment>
            <translation>Déconnecté de QuickBooks</translation>
        </message>
        <message>
            <source>app.disconnected_not_revoked</source>
            <extracomment>Disconnected from QuickBooks on this computer, but the authorization could not be revoked ({note})</extracomment>
            <translation>Déconnecté de QuickBooks sur cet ordinateur, mais l'autorisation n'a pas pu être révoquée ({note})</translation>
        </message>
        <message>
            <source>app.disconnected_not_revoked.fix</source>
            <extracomment>To revoke it too, open QuickBooks: Settings &gt; Apps (or Manage connections) &gt; CrocoQB &gt; Disconnect. Nothing else is needed.</extracomment>
            <translation>Pour la révoquer aussi, ouvrez QuickBooks : Paramètres &gt; Applications (ou Gérer les connexions) &gt; CrocoQB &gt; Déconnecter. Rien d'autre n'est nécessaire.</translation>
        </message>
        <message>
            <source>app.login_forbidden</source>
            <extracomment>CrocoClick refused access to location '{location_id}' (403). Check the location id and the key's permissions.</extracomment>
            <translation>CrocoClick a refusé l'accès à l'emplacement « {location_id} » (403). Vérifiez l'identifiant de l'emplacement et les autorisations de la clé.</translation>
        </message>
        <message>
            <source>app.login_key_refused</source>
            <extracomment>CrocoClick refused the API key (401). Check that it was copied whole and is still active.</extracomment>
            <translation>CrocoClick a refusé la clé API (401). Vérifiez qu'elle a été copiée en entier et qu'elle est toujours active.</translation>
        </message>
        <message>
            <source>app.no_api_key</source>
            <extracomment>no API key was given</extracomment>
            <translation>aucune clé API n'a été fournie</translation>
        </message>
        <message>
            <source>app.no_api_key.fix</source>
            <extracomment>Paste the API key from CrocoClick: Settings &gt; Integrations &gt; API keys.</extracomment>
            <translation>Collez la clé API de CrocoClick : Paramètres &gt; Intégrations &gt; Clés API.</translation>
        </message>
        <message>
            <source>app.no_api_key.title</source>
            <extracomment>API key missing</extracomment>
            <translation>Clé API manquante</translation>
        </message>
        <message>
            <source>app.other_company</source>
            <extracomment>Connected to another QuickBooks company ({company_name}, id {realm_id}) than before (id {previous_realm})</extracomment>
            <translation>Connecté à une autre entreprise QuickBooks ({company_name}, identifiant {realm_id}) qu'auparavant (identifiant {previous_realm})</translation>
        </message>
        <message>
            <source>app.other_company.fix</source>
            <extracomment>If this is not intended, disconnect and connect the right company.</extracomment>
            <translation>Si ce n'est pas voulu, déconnectez-vous et connectez la bonne entreprise.</translation>
        </message>
        <message>
            <source>app.qbo_connected</source>
            <extracomment>Connected to QuickBooks company {company_name} (id {realm_id})</extracomment>
            <translation>Connecté à l'entreprise QuickBooks {company_name} (identifiant {realm_id})</translation>
        </message>
        <message>
            <source>app.qbo_not_connected</source>
            <extracomment>QuickBooks is not connected yet</extracomment>
            <translation>QuickBooks n'est pas encore connecté</translation>
        </message>
        <message>
            <source>app.qbo_not_connected.fix</source>
            <extracomment>Press Connect (or run `crocoqb connect`) and sign in to QuickBooks.</extracomment>
            <translation>Appuyez sur Connecter (ou lancez `crocoqb connect`) et connectez-vous à QuickBooks.</translation>
        </message>
        <message>
            <source>app.qbo_not_connected.title</source>
            <extracomment>QuickBooks not connected</extracomment>
            <translation>QuickBooks non connecté</translation>
        </message>
        <message>
            <source>app.reconnect_needed</source>
            <extracomment>QuickBooks needs to be reconnected: {reason}</extracomment>
            <translation>QuickBooks doit être reconnecté : {reason}</translation>
        </message>
        <message>
            <source>check.ast_non_us</source>
            <extracomment>Sales tax codes: each CrocoClick tax goes to the QuickBooks tax code at the same rate (see the taxes below).</extracomment>
            <translation>Codes de taxe : chaque taxe de CrocoClick va au code de taxe QuickBooks de même taux (voir les taxes plus bas).</translation>
        </message>
        <message>
            <source>check.ast_off</source>
            <extracomment>Automated sales tax is off: each document gets the one tax code that matches its rate (see the taxes below).</extracomment>
            <translation>La taxe de vente automatisée est désactivée : chaque document reçoit le code de taxe qui correspond à son taux (voir les taxes plus bas).</translation>
        </message>
        <message>
            <source>check.ast_on</source>
            <extracomment>Automated sales tax is on: lines are marked taxable or not, and CrocoClick's tax amount is kept as the override, so totals match to the cent.</extracomment>
            <translation>La taxe de vente automatisée est activée : les lignes sont marquées taxables ou non, et le montant de taxe de CrocoClick est conservé tel quel, pour des totaux exacts au cent près.</translation>
        </message>
        <message>
            <source>check.cli.company</source>
            <extracomment>QuickBooks company: {name} ({country}, {currency})</extracomment>
            <translation>Entreprise QuickBooks : {name} ({country}, {currency})</translation>
        </message>
        <message>
            <source>check.cli.fix</source>
            <extracomment>    What to do: {fix}</extracomment>
            <translation>    Que faire : {fix}</translation>
        </message>
        <message>
            <source>check.cli.free_text</source>
            <extracomment>Lines without a product: {rule}</extracomment>
            <translation>Lignes sans produit : {rule}</translation>
        </message>
        <message>
            <source>check.cli.new_item</source>
            <extracomment>{name} (created at the first sync)</extracomment>
            <translation>{name} (créé à la première synchronisation)</translation>
        </message>
        <message>
            <source>check.cli.problems</source>
            <extracomment>Cannot map yet: {count}. See the lines marked X above.</extracomment>
            <translation>Sans correspondance pour l'instant : {count}. Voyez les lignes marquées X ci-dessus.</translation>
        </message>
        <message>
            <source>check.cli.read</source>
            <extracomment>CrocoClick documents read (last 90 days): {invoices} invoices, {payments} payments.</extracomment>
            <translation>Documents CrocoClick lus (90 derniers jours) : {invoices} factures, {payments} paiements.</translation>
        </message>
        <message>
            <source>check.cli.ready</source>
            <extracomment>Ready to sync.</extracomment>
            <translation>Prêt à synchroniser.</translation>
        </message>
        <message>
            <source>check.cli.row</source>
            <extracomment>{mark}{kind} '{source}'{detail} -&gt; {target}{how}</extracomment>
            <translation>{mark}{kind} '{source}'{detail} -&gt; {target}{how}</translation>
        </message>
        <message>
            <source>check.cli.row_text</source>
            <extracomment>    {text}</extracomment>
            <translation>    {text}</translation>
        </message>
        <message>
            <source>check.cli.rows</source>
            <extracomment>Where CrocoClick's data goes in QuickBooks</extracomment>
            <translation>Où vont les données de CrocoClick dans QuickBooks</translation>
        </message>
        <message>
            <source>check.cli.setting</source>
            <extracomment>{mark}{label}: {value}. {text}</extracomment>
            <translation>{mark}{label} : {value}. {text}</translation>
        </message>
        <message>
            <source>check.cli.settings</source>
            <extracomment>QuickBooks settings that change the sync</extracomment>
            <translation>Paramètres de QuickBooks qui changent la synchronisation</translation>
        </message>
        <message>
            <source>check.closing_date</source>
            <extracomment>The books are closed up to {date}: QuickBooks refuses documents dated on or before it, so such CrocoClick documents will wait as problems.</extracomment>
            <translation>Les livres sont fermés jusqu'au {date} : QuickBooks refuse les documents datés de ce jour ou d'avant, donc ces documents CrocoClick resteront en attente comme problèmes.</translation>
        </message>
        <message>
            <source>check.closing_date_fix</source>
            <extracomment>Recent CrocoClick documents dated on or before it: {count}. Move the closing date (Account and settings &gt; Advanced &gt; Accounting) if they must be recorded.</extracomment>
            <translation>Documents CrocoClick récents datés de ce jour ou d'avant : {count}. Déplacez la date de clôture (Compte et paramètres &gt; Avancé &gt; Comptabilité) s'ils doivent être enregistrés.</translation>
        </message>
        <message>
            <source>check.currency_off</source>
            <extracomment>Recent CrocoClick documents in {currency}: {count}; the QuickBooks company works only in {home}</extracomment>
            <translation>Documents CrocoClick récents en {currency} : {count} ; l'entreprise QuickBooks ne travaille qu'en {home}</translation>
        </message>
        <message>
            <source>check.currency_off_fix</source>
            <extracomment>Turn on multicurrency in QuickBooks (Account and settings &gt; Advanced &gt; Currency; it cannot be turned off again), or issue documents in {home} in CrocoClick.</extracomment>
            <translation>Activez le multidevise dans QuickBooks (Compte et paramètres &gt; Avancé &gt; Devise ; on ne peut plus le désactiver ensuite), ou émettez les documents en {home} dans CrocoClick.</translation>
        </message>
        <message>
            <source>check.free_text_default</source>
            <extracomment>Lines without a CrocoClick product go to the item '{item}' (setting sync.default_item), with the line's name in the description, unless an item has the line's exact name or you chose one for that name.</extracomment>
            <translation>Les lignes sans produit CrocoClick vont à l'article « {item} » (paramètre sync.default_item), avec le nom de la ligne dans la description, sauf si un article porte exactement ce nom ou si vous en avez choisi un pour ce nom.</translation>
        </message>
        <message>
            <source>check.free_text_sale</source>
            <extracomment>Lines without a CrocoClick product go to one item '{item}' (created once if missing), with the line's name in the description, unless an item has the line's exact name or you chose one for that name. Set sync.default_item to use another item.</extracomment>
            <translation>Les lignes sans produit CrocoClick vont à un seul article « {item} » (créé une fois s'il manque), avec le nom de la ligne dans la description, sauf si un article porte exactement ce nom ou si vous en avez choisi un pour ce nom. Réglez sync.default_item pour utiliser un autre article.</translation>
        </message>
        <message>
            <source>check.item_free_text</source>
            <extracomment>The line's name goes in the description.</extracomment>
            <translation>Le nom de la ligne va dans la description.</translation>
        </message>
        <message>
            <source>check.label.automated_sales_tax</source>
            <extracomment>Automated sales tax</extracomment>
            <translation>Taxe de vente automatisée</translation>
        </message>
        <message>
            <source>check.label.closing_date</source>
            <extracomment>Closing date</extracomment>
            <translation>Date de clôture</translation>
        </message>
        <message>
            <source>check.label.custom_txn_numbers</source>
            <extracomment>Custom transaction numbers</extracomment>
            <translation>Numéros de transaction personnalisés</translation>
        </message>
        <message>
            <source>check.label.multicurrency</source>
            <extracomment>Multicurrency</extracomment>
            <translation>Multidevise</translation>
        </message>
        <message>
            <source>check.label.tracking</source>
            <extracomment>Class and location tracking</extracomment>
            <translation>Suivi des catégories et des emplacements</translation>
        </message>
        <message>
            <source>check.method_none</source>
            <extracomment>No QuickBooks payment method has this name: the sales receipts carry none.</extracomment>
            <translation>Aucun mode de paiement QuickBooks ne porte ce nom : les reçus de vente n'en auront pas.</translation>
        </message>
        <message>
            <source>check.method_none_fix</source>
            <extracomment>Add a payment method in QuickBooks (Lists &gt; Payment methods) if you want it on the receipts.</extracomment>
            <translation>Ajoutez un mode de paiement dans QuickBooks (Listes &gt; Modes de paiement) si vous le voulez sur les reçus.</translation>
        </message>
        <message>
            <source>check.multicurrency_off</source>
            <extracomment>Multicurrency is off: the company works only in {home}.</extracomment>
            <translation>Le multidevise est désactivé : l'entreprise ne travaille qu'en {home}.</translation>
        </message>
        <message>
            <source>check.multicurrency_on</source>
            <extracomment>Multicurrency is on (home currency {home}): documents keep their own currency.</extracomment>
            <translation>Le multidevise est activé (devise de référence {home}) : les documents gardent leur devise.</translation>
        </message>
        <message>
            <source>check.no_closing_date</source>
            <extracomment>No closing date is set.</extracomment>
            <translation>Aucune date de clôture n'est définie.</translation>
        </message>
        <message>
            <source>check.numbers_off</source>
            <extracomment>Custom transaction numbers are off: QuickBooks numbers invoices itself; CrocoClick's invoice number is kept in each invoice's private note.</extracomment>
            <translation>Les numéros de transaction personnalisés sont désactivés : QuickBooks numérote lui-même les factures ; le numéro de facture CrocoClick est gardé dans la note privée de chaque facture.</translation>
        </message>
        <message>
            <source>check.numbers_on</source>
            <extracomment>Custom transaction numbers are on: CrocoClick's invoice numbers become the QuickBooks invoice numbers (at most 21 characters).</extracomment>
            <translation>Les numéros de transaction personnalisés sont activés : les numéros de facture CrocoClick deviennent ceux de QuickBooks (21 caractères au plus).</translation>
        </message>
        <message>
            <source>check.payouts_created</source>
            <extracomment>The account '{name}' is created at the first {provider} payment</extracomment>
            <translation>Le compte « {name} » sera créé au premier paiement {provider}</translation>
        </message>
        <message>
            <source>check.payouts_found</source>
            <extracomment>The account '{name}' (Id {qbo_id}) is used at the first {provider} payment</extracomment>
            <translation>Le compte « {name} » (Id {qbo_id}) sera utilisé dès le premier paiement {provider}</translation>
        </message>
        <message>
            <source>check.payouts_no_adjustment</source>
            <extracomment>No account chosen for disputes and reserves: a {provider} payout with one waits until you choose it</extracomment>
            <translation>Aucun compte choisi pour les litiges et réserves : un versement {provider} qui en contient attend que vous le choisissiez</translation>
        </message>
        <message>
            <source>check.payouts_no_bank</source>
            <extracomment>No bank account chosen: {provider} payouts wait until you choose the one they reach</extracomment>
            <translation>Aucun compte bancaire choisi : les versements {provider} attendent que vous choisissiez celui qui les reçoit</translation>
        </message>
        <message>
            <source>check.provider_inactive</source>
            <extracomment>The account '{name}' (Id {qbo_id}) chosen for {kind} of {provider} is inactive or was deleted in QuickBooks</extracomment>
            <translation>Le compte « {name} » (Id {qbo_id}) choisi pour {kind} de {provider} est inactif ou a été supprimé dans QuickBooks</translation>
        </message>
        <message>
            <source>check.provider_inactive_fix</source>
            <extracomment>Choose another account (`crocoqb map set {kind} {provider} &lt;Account Id&gt;`) or make it active again in QuickBooks.</extracomment>
            <translation>Choisissez un autre compte (`crocoqb map set {kind} {provider} &lt;Account Id&gt;`) ou réactivez-le dans QuickBooks.</translation>
        </message>
        <message>
            <source>check.provider_unset</source>
            <extracomment>Not chosen yet; used only when fees and payouts are booked through a clearing account (setting sync.payouts).</extracomment>
            <translation>Pas encore choisi ; utilisé seulement quand les frais et les virements passent par un compte d'attente (paramètre sync.payouts).</translation>
        </message>
        <message>
            <source>check.tax_ast</source>
            <extracomment>Marked taxable; CrocoClick's tax amount is kept.</extracomment>
            <translation>Marqué taxable ; le montant de taxe de CrocoClick est conservé.</translation>
        </message>
        <message>
            <source>check.tracking.both</source>
            <extracomment>class and location</extracomment>
            <translation>les catégories et les emplacements</translation>
        </message>
        <message>
            <source>check.tracking.class</source>
            <extracomment>class</extracomment>
            <translation>les catégories</translation>
        </message>
        <message>
            <source>check.tracking.location</source>
            <extracomment>location</extracomment>
            <translation>les emplacements</translation>
        </message>
        <message>
            <source>check.tracking_off</source>
            <extracomment>Class and location tracking are off.</extracomment>
            <translation>Le suivi des catégories et des emplacements est désactivé.</translation>
        </message>
        <message>
            <source>check.tracking_on</source>
            <extracomment>QuickBooks tracks {what}: CrocoQB records its documents without it; assign it in QuickBooks if your reports need it.</extracomment>
            <translation>QuickBooks suit {what} : CrocoQB enregistre ses documents sans cette information ; ajoutez-la dans QuickBooks si vos rapports en ont besoin.</translation>
        </message>
        <message>
            <source>check.tracking_on_fix</source>
            <extracomment>Nothing blocks the sync. If QuickBooks is set to require it on every transaction, turn that requirement off (Account and settings &gt; Advanced &gt; Categories).</extracomment>
            <translation>Rien ne bloque la synchronisation. Si QuickBooks exige cette information sur chaque transaction, désactivez cette exigence (Compte et paramètres &gt; Avancé &gt; Catégories).</translation>
        </message>
        <message>
            <source>check.value.na</source>
            <extracomment>not applicable</extracomment>
            <translation>sans objet</translation>
        </message>
        <message>
            <source>check.value.none</source>
            <extracomment>none</extracomment>
            <translation>aucune</translation>
        </message>
        <message>
            <source>check.value.off</source>
            <extracomment>off</extracomment>
            <translation>désactivé</translation>
        </message>
        <message>
            <source>check.value.on</source>
            <extracomment>on</extracomment>
            <translation>activé</translation>
        </message>
        <message>
            <source>cli.api_key_prompt</source>
            <extracomment>CrocoClick API key: </extracomment>
            <translation>Clé API CrocoClick : </translation>
        </message>
        <message>
            <source>cli.authorize_at</source>
            <extracomment>Authorize at: {url}</extracomment>
            <translation>Autorisez l'accès ici : {url}</translation>
        </message>
        <message>
            <source>cli.config_set_needs_value</source>
            <extracomment>config set needs a KEY and a VALUE</extracomment>
            <translation>config set demande une CLÉ et une VALEUR</translation>
        </message>
        <message>
            <source>cli.config_set_needs_value.title</source>
            <extracomment>Missing value</extracomment>
            <translation>Valeur manquante</translation>
        </message>
        <message>
            <source>cli.croco_connected</source>
            <extracomment>Connected to CrocoClick: {location} ({location_id}, {country}, {currency})</extracomment>
            <translation>Connecté à CrocoClick : {location} ({location_id}, {country}, {currency})</translation>
        </message>
        <message>
            <source>cli.disconnected</source>
            <extracomment>Disconnected from QuickBooks.</extracomment>
            <translation>Déconnecté de QuickBooks.</translation>
        </message>
        <message>
            <source>cli.fix</source>
            <extracomment>What to do: {fix}</extracomment>
            <translation>Que faire : {fix}</translation>
        </message>
        <message>
            <source>cli.interrupted</source>
            <extracomment>Interrupted.</extracomment>
            <translation>Interrompu.</translation>
        </message>
        <message>
            <source>cli.log.file</source>
            <extracomment>(log file: {path})</extracomment>
            <translation>(fichier journal : {path})</translation>
        </message>
        <message>
            <source>cli.log.what_to_do</source>
            <extracomment>What to do: {fix}</extracomment>
            <translation>Que faire : {fix}</translation>
        </message>
        <message>
            <source>cli.no_browser</source>
            <extracomment>Could not open a browser: open the address above yourself.</extracomment>
            <translation>Impossible d'ouvrir un navigateur : ouvrez vous-même l'adresse ci-dessus.</translation>
        </message>
        <message>
            <source>cli.paste_prompt</source>
            <extracomment>After accepting, paste the address of the page you landed on (or the code):</extracomment>
            <translation>Après avoir accepté, collez l'adresse de la page où vous êtes arrivé (ou le code) :</translation>
        </message>
        <message>
            <source>cli.problems.none</source>
            <extracomment>No record needs your attention.</extracomment>
            <translation>Aucun enregistrement n'a besoin de vous.</translation>
        </message>
        <message>
            <source>cli.qbo_connected</source>
            <extracomment>Connected to QuickBooks: {company_name} (company {realm_id})</extracomment>
            <translation>Connecté à QuickBooks : {company_name} (entreprise {realm_id})</translation>
        </message>
        <message>
            <source>cli.resolve.solved</source>
            <extracomment>Solved: {kind} {label} is in QuickBooks.</extracomment>
            <translation>Résolu : {kind} {label} est dans QuickBooks.</translation>
        </message>
        <message>
            <source>cli.resolve.still</source>
            <extracomment>Still needs your attention: {message}</extracomment>
            <translation>A encore besoin de vous : {message}</translation>
        </message>
        <message>
            <source>cli.see_log</source>
            <extracomment>Run `crocoqb log --level WARNING` to see each failed record and its fix.</extracomment>
            <translation>Lancez `crocoqb log --level WARNING` pour voir chaque enregistrement en échec et comment le corriger.</translation>
        </message>
        <message>
            <source>cli.stage.customers</source>
            <extracomment>Importing QuickBooks customers</extracomment>
            <translation>Import des clients QuickBooks</translation>
        </message>
        <message>
            <source>cli.stage.invoices</source>
            <extracomment>Importing QuickBooks invoices</extracomment>
            <translation>Import des factures QuickBooks</translation>
        </message>
        <message>
            <source>cli.stage.push</source>
            <extracomment>Sending to QuickBooks</extracomment>
            <translation>Envoi vers QuickBooks</translation>
        </message>
        <message>
            <source>cli.status.croco_connected</source>
            <extracomment>CrocoClick: connected to {location}</extracomment>
            <translation>CrocoClick : connecté à {location}</translation>
        </message>
        <message>
            <source>cli.status.croco_not_connected</source>
            <extracomment>CrocoClick: not connected</extracomment>
            <translation>CrocoClick : non connecté</translation>
        </message>
        <message>
            <source>cli.status.never</source>
            <extracomment>never</extracomment>
            <translation>jamais</translation>
        </message>
        <message>
            <source>cli.status.qbo_connected</source>
            <extracomment>QuickBooks: connected to {company}</extracomment>
            <translation>QuickBooks : connecté à {company}</translation>
        </message>
        <message>
            <source>cli.status.qbo_not_connected</source>
            <extracomment>QuickBooks: not connected</extracomment>
            <translation>QuickBooks : non connecté</translation>
        </message>
        <message>
            <source>cli.status.qbo_reconnect</source>
            <extracomment>QuickBooks: reconnect needed: {reason}</extracomment>
            <translation>QuickBooks : reconnexion nécessaire : {reason}</translation>
        </message>
        <message>
            <source>cli.status.sync</source>
            <extracomment>Last sync: {last}; pending {pending}, failed {failed}</extracomment>
            <translation>Dernière synchronisation : {last} ; en attente {pending}, en échec {failed}</translation>
        </message>
        <message>
            <source>cli.unexpected</source>
            <extracomment>Unexpected error ({name}). Details are in {path}.</extracomment>
            <translation>Erreur inattendue ({name}). Les détails sont dans {path}.</translation>
        </message>
        <message>
            <source>croco.api.title</source>
            <extracomment>CrocoClick error</extracomment>
            <translation>Erreur CrocoClick</translation>
        </message>
        <message>
            <source>croco.api_key_refused</source>
            <extracomment>CrocoClick refused the API key ({status}): {reason}</extracomment>
            <translation>CrocoClick a refusé la clé API ({status}) : {reason}</translation>
        </message>
        <message>
            <source>croco.auth.fix</source>
            <extracomment>Create a new API key in CrocoClick (Settings &gt; Integrations &gt; API keys) and enter it in CrocoQB.</extracomment>
            <translation>Créez une nouvelle clé API dans CrocoClick (Paramètres &gt; Intégrations &gt; Clés API) et saisissez-la dans CrocoQB.</translation>
        </message>
        <message>
            <source>croco.auth.title</source>
            <extracomment>CrocoClick refused the API key</extracomment>
            <translation>CrocoClick a refusé la clé API</translation>
        </message>
        <message>
            <source>croco.bad_json</source>
            <extracomment>CrocoClick answered {method} {path} with malformed JSON</extracomment>
            <translation>CrocoClick a répondu à {method} {path} avec du JSON mal formé</translation>
        </message>
        <message>
            <source>croco.bad_request.title</source>
            <extracomment>CrocoClick rejected the request</extracomment>
            <translation>CrocoClick a rejeté la requête</translation>
        </message>
        <message>
            <source>croco.conflict.title</source>
            <extracomment>Conflict in CrocoClick</extracomment>
            <translation>Conflit dans CrocoClick</translation>
        </message>
        <message>
            <source>croco.cursor_expired.fix</source>
            <extracomment>CrocoQB runs a full resync automatically.</extracomment>
            <translation>CrocoQB relance automatiquement une resynchronisation complète.</translation>
        </message>
        <message>
            <source>croco.cursor_expired.title</source>
            <extracomment>CrocoClick change feed expired</extracomment>
            <translation>Le flux de modifications CrocoClick a expiré</translation>
        </message>
        <message>
            <source>croco.events_no_data</source>
            <extracomment>CrocoClick answered GET /events without data and nextCursor</extracomment>
            <translation>CrocoClick a répondu à GET /events sans data ni nextCursor</translation>
        </message>
        <message>
            <source>croco.forbidden.fix</source>
            <extracomment>Check the location id and that the API key has the permissions CrocoQB needs.</extracomment>
            <translation>Vérifiez l'identifiant de l'emplacement et que la clé API a les autorisations nécessaires à CrocoQB.</translation>
        </message>
        <message>
            <source>croco.forbidden.title</source>
            <extracomment>CrocoClick refused access</extracomment>
            <translation>CrocoClick a refusé l'accès</translation>
        </message>
        <message>
            <source>croco.kind.invoice</source>
            <extracomment>invoice</extracomment>
            <translation>facture</translation>
        </message>
        <message>
            <source>croco.kind.payment</source>
            <extracomment>payment</extracomment>
            <translation>paiement</translation>
        </message>
        <message>
            <source>croco.kind.payout</source>
            <extracomment>payout</extracomment>
            <translation>versement</translation>
        </message>
        <message>
            <source>croco.kind.payout_item</source>
            <extracomment>payout item</extracomment>
            <translation>élément de versement</translation>
        </message>
        <message>
            <source>croco.no_contact</source>
            <extracomment>CrocoClick sent {kind} {id} without the contact it belongs to</extracomment>
            <translation>CrocoClick a envoyé {kind} {id} sans le contact auquel il appartient</translation>
        </message>
        <message>
            <source>croco.no_contact.fix</source>
            <extracomment>Open the {kind} in CrocoClick and check its contact; it is synced at its next change.</extracomment>
            <translation>Ouvrez l'élément ({kind}) dans CrocoClick et vérifiez son contact ; il sera synchronisé à sa prochaine modification.</translation>
        </message>
        <message>
            <source>croco.no_data_list</source>
            <extracomment>CrocoClick answered GET {path} without a data list</extracomment>
            <translation>CrocoClick a répondu à GET {path} sans liste data</translation>
        </message>
        <message>
            <source>croco.not_found.title</source>
            <extracomment>Not found in CrocoClick</extracomment>
            <translation>Introuvable dans CrocoClick</translation>
        </message>
        <message>
            <source>croco.not_json</source>
            <extracomment>CrocoClick answered {method} {path} with '{ctype}' instead of JSON</extracomment>
            <translation>CrocoClick a répondu à {method} {path} avec « {ctype} » au lieu de JSON</translation>
        </message>
        <message>
            <source>croco.not_object</source>
            <extracomment>CrocoClick sent a {kind} that is not an object</extracomment>
            <translation>CrocoClick a envoyé un élément ({kind}) qui n'est pas un objet</translation>
        </message>
        <message>
            <source>croco.payout_without_items</source>
            <extracomment>CrocoClick sent payout {payout_id} without its items</extracomment>
            <translation>CrocoClick a envoyé le versement {payout_id} sans ses éléments</translation>
        </message>
        <message>
            <source>croco.rate_limited.fix</source>
            <extracomment>Nothing to do: CrocoQB waits and tries again at the next sync.</extracomment>
            <translation>Rien à faire : CrocoQB attend et réessaie à la prochaine synchronisation.</translation>
        </message>
        <message>
            <source>croco.rate_limited.title</source>
            <extracomment>CrocoClick asks to slow down</extracomment>
            <translation>CrocoClick demande de ralentir</translation>
        </message>
        <message>
            <source>croco.request_failed</source>
            <extracomment>CrocoClick request failed ({method} {path}: {name})</extracomment>
            <translation>La requête CrocoClick a échoué ({method} {path} : {name})</translation>
        </message>
        <message>
            <source>croco.request_failed.title</source>
            <extracomment>Cannot reach CrocoClick</extracomment>
            <translation>Impossible de joindre CrocoClick</translation>
        </message>
        <message>
            <source>croco.request_refused</source>
            <extracomment>CrocoClick {method} {path} failed ({status} ): {reason}</extracomment>
            <translation>CrocoClick {method} {path} a échoué ({status}) : {reason}</translation>
        </message>
        <message>
            <source>croco.request_refused.code</source>
            <extracomment>CrocoClick {method} {path} failed ({status} {error}): {reason}</extracomment>
            <translation>CrocoClick {method} {path} a échoué ({status} {error}) : {reason}</translation>
        </message>
        <message>
            <source>croco.server.fix</source>
            <extracomment>This is usually temporary; the sync will try again automatically.</extracomment>
            <translation>C'est généralement temporaire ; la synchronisation réessaiera automatiquement.</translation>
        </message>
        <message>
            <source>croco.server.title</source>
            <extracomment>CrocoClick is having trouble</extracomment>
            <translation>CrocoClick rencontre des difficultés</translation>
        </message>
        <message>
            <source>croco.server_failed</source>
            <extracomment>CrocoClick failed to answer {method} {path} ({status}: {reason})</extracomment>
            <translation>CrocoClick n'a pas pu répondre à {method} {path} ({status} : {reason})</translation>
        </message>
        <message>
            <source>croco.timed_out</source>
            <extracomment>CrocoClick timed out ({method} {path}) after {attempt} attempts</extracomment>
            <translation>CrocoClick n'a pas répondu à temps ({method} {path}) après {attempt} tentatives</translation>
        </message>
        <message>
            <source>croco.too_many_requests</source>
            <extracomment>CrocoClick kept answering 'too many requests' to {method} {path}</extracomment>
            <translation>CrocoClick a continué de répondre « trop de requêtes » à {method} {path}</translation>
        </message>
        <message>
            <source>croco.unknown_enum</source>
            <extracomment>CrocoClick sent {kind} {id} with {field} '{value}', which this version of CrocoQB does not know</extracomment>
            <translation>CrocoClick a envoyé {kind} {id} avec {field} « {value} », que cette version de CrocoQB ne connaît pas</translation>
        </message>
        <message>
            <source>croco.unknown_enum.fix</source>
            <extracomment>Update CrocoQB to the latest version, then change the record in CrocoClick (any edit) so it is sent again.</extracomment>
            <translation>Mettez CrocoQB à jour vers la dernière version, puis modifiez l'enregistrement dans CrocoClick (n'importe quelle modification) pour qu'il soit renvoyé.</translation>
        </message>
        <message>
            <source>croco.unprocessable.title</source>
            <extracomment>CrocoClick refused the change</extracomment>
            <translation>CrocoClick a refusé la modification</translation>
        </message>
        <message>
            <source>croco.unreachable</source>
            <extracomment>CrocoClick could not connect ({method} {path}) after {attempt} attempts</extracomment>
            <translation>Connexion à CrocoClick impossible ({method} {path}) après {attempt} tentatives</translation>
        </message>
        <message>
            <source>croco.unreachable.title</source>
            <extracomment>Cannot reach CrocoClick</extracomment>
            <translation>Impossible de joindre CrocoClick</translation>
        </message>
        <message>
            <source>error.generic.title</source>
            <extracomment>Something went wrong</extracomment>
            <translation>Une erreur s'est produite</translation>
        </message>
        <message>
            <source>error.keychain.fix</source>
            <extracomment>Unlock or install the system keychain (Keychain on macOS, Credential Manager on Windows, a Secret Service such as GNOME Keyring on Linux), then try again. CrocoQB never stores secrets in plain files.</extracomment>
            <translation>Déverrouillez ou installez le trousseau du système (Trousseau sur macOS, Gestionnaire d'identification sur Windows, un Secret Service comme GNOME Keyring sur Linux), puis réessayez. CrocoQB n'enregistre jamais de secrets dans des fichiers en clair.</translation>
        </message>
        <message>
            <source>error.keychain.title</source>
            <extracomment>Keychain unavailable</extracomment>
            <translation>Trousseau indisponible</translation>
        </message>
        <message>
            <source>error.network.fix</source>
            <extracomment>Check the internet connection; the sync will try again automatically.</extracomment>
            <translation>Vérifiez la connexion Internet ; la synchronisation réessaiera automatiquement.</translation>
        </message>
        <message>
            <source>error.network.title</source>
            <extracomment>Cannot reach the service</extracomment>
            <translation>Impossible de joindre le service</translation>
        </message>
        <message>
            <source>error.not_configured.title</source>
            <extracomment>Not set up yet</extracomment>
            <translation>Pas encore configuré</translation>
        </message>
        <message>
            <source>error.protocol.fix</source>
            <extracomment>This is usually temporary. If it persists, export a diagnostic bundle and contact support.</extracomment>
            <translation>C'est généralement temporaire. Si cela persiste, exportez un dossier de diagnostic et contactez l'assistance.</translation>
        </message>
        <message>
            <source>error.protocol.title</source>
            <extracomment>Unexpected answer from the service</extracomment>
            <translation>Réponse inattendue du service</translation>
        </message>
        <message>
            <source>error.reconnect_needed.fix</source>
            <extracomment>Open CrocoQB and press Reconnect, then sign in to QuickBooks again. Nothing is lost meanwhile.</extracomment>
            <translation>Ouvrez CrocoQB et appuyez sur Reconnecter, puis connectez-vous de nouveau à QuickBooks. Rien n'est perdu entre-temps.</translation>
        </message>
        <message>
            <source>error.reconnect_needed.title</source>
            <extracomment>QuickBooks needs to be reconnected</extracomment>
            <translation>QuickBooks doit être reconnecté</translation>
        </message>
        <message>
            <source>error.record.title</source>
            <extracomment>Record not synced</extracomment>
            <translation>Enregistrement non synchronisé</translation>
        </message>
        <message>
            <source>error.service.title</source>
            <extracomment>Service error</extracomment>
            <translation>Erreur du service</translation>
        </message>
        <message>
            <source>error.settings.title</source>
            <extracomment>Invalid setting</extracomment>
            <translation>Paramètre non valide</translation>
        </message>
        <message>
            <source>error.user_text</source>
            <extracomment>{title}: {message}</extracomment>
            <translation>{title} : {message}</translation>
        </message>
        <message>
            <source>error.user_text.fix</source>
            <extracomment>{title}: {message}
What to do: {fix}</extracomment>
            <translation>{title} : {message}
Que faire : {fix}</translation>
        </message>
        <message>
            <source>item.ambiguous</source>
            <extracomment>QuickBooks has {count} items named '{name}': {items}</extracomment>
            <translation>QuickBooks a {count} articles nommés « {name} » : {items}</translation>
        </message>
        <message>
            <source>item.ambiguous_fix</source>
            <extracomment>Choose the item for '{name}' on the Check page, or run `crocoqb map set item "{name}" &lt;Item Id&gt;`, then press Sync now.</extracomment>
            <translation>Choisissez l'article pour « {name} » dans l'onglet Vérification, ou lancez `crocoqb map set item "{name}" &lt;Item Id&gt;`, puis appuyez sur Synchroniser maintenant.</translation>
        </message>
        <message>
            <source>keychain.action.read</source>
            <extracomment>read</extracomment>
            <translation>lu</translation>
        </message>
        <message>
            <source>keychain.action.written</source>
            <extracomment>written</extracomment>
            <translation>modifié</translation>
        </message>
        <message>
            <source>keychain.failed</source>
            <extracomment>the keychain could not be {action} ({name})</extracomment>
            <translation>le trousseau n'a pas pu être {action} ({name})</translation>
        </message>
        <message>
            <source>keychain.none</source>
            <extracomment>no system keychain was found on this computer</extracomment>
            <translation>aucun trousseau système n'a été trouvé sur cet ordinateur</translation>
        </message>
        <message>
            <source>keychain.plaintext</source>
            <extracomment>the keychain backend {name} stores secrets in a file, which CrocoQB refuses</extracomment>
            <translation>le trousseau {name} enregistre les secrets dans un fichier, ce que CrocoQB refuse</translation>
        </message>
        <message>
            <source>keychain.too_long</source>
            <extracomment>the secret {name} is too long for the keychain ({length} characters)</extracomment>
            <translation>le secret {name} est trop long pour le trousseau ({length} caractères)</translation>
        </message>
        <message>
            <source>label.contact.cap</source>
            <extracomment>Contact {name}</extracomment>
            <translation>Contact {name}</translation>
        </message>
        <message>
            <source>label.imported_invoice</source>
            <extracomment>imported invoice {number}</extracomment>
            <translation>la facture importée {number}</translation>
        </message>
        <message>
            <source>label.invoice</source>
            <extracomment>invoice {number}</extracomment>
            <translation>la facture {number}</translation>
        </message>
        <message>
            <source>label.invoice.cap</source>
            <extracomment>Invoice {number}</extracomment>
            <translation>Facture {number}</translation>
        </message>
        <message>
            <source>label.payment</source>
            <extracomment>payment {id}</extracomment>
            <translation>le paiement {id}</translation>
        </message>
        <message>
            <source>label.payment.cap</source>
            <extracomment>Payment {id}</extracomment>
            <translation>Paiement {id}</translation>
        </message>
        <message>
            <source>label.payment_source</source>
            <extracomment>payment {id} ({source})</extracomment>
            <translation>le paiement {id} ({source})</translation>
        </message>
        <message>
            <source>label.qbo_customer</source>
            <extracomment>QuickBooks customer {customer}</extracomment>
            <translation>Client QuickBooks {customer}</translation>
        </message>
        <message>
            <source>label.qbo_invoice</source>
            <extracomment>QuickBooks invoice {number}</extracomment>
            <translation>Facture QuickBooks {number}</translation>
        </message>
        <message>
            <source>label.refund.cap</source>
            <extracomment>Refund {id}</extracomment>
            <translation>Remboursement {id}</translation>
        </message>
        <message>
            <source>label.source.calendar</source>
            <extracomment>booking</extracomment>
            <translation>réservation</translation>
        </message>
        <message>
            <source>label.source.checkout</source>
            <extracomment>checkout</extracomment>
            <translation>paiement en ligne</translation>
        </message>
        <message>
            <source>label.source.invoice</source>
            <extracomment>invoice</extracomment>
            <translation>facture</translation>
        </message>
        <message>
            <source>label.source.manual</source>
            <extracomment>manual</extracomment>
            <translation>saisie manuelle</translation>
        </message>
        <message>
            <source>label.source.order_form</source>
            <extracomment>order form</extracomment>
            <translation>bon de commande</translation>
        </message>
        <message>
            <source>label.source.subscription</source>
            <extracomment>subscription</extracomment>
            <translation>abonnement</translation>
        </message>
        <message>
            <source>map.cli.line</source>
            <extracomment>{kind} '{source}' -&gt; {qbo_id} '{name}' (set by {set_by})</extracomment>
            <translation>{kind} '{source}' -&gt; {qbo_id} '{name}' (choisi par {set_by})</translation>
        </message>
        <message>
            <source>map.cli.none</source>
            <extracomment>No mappings yet: everything is matched automatically. `crocoqb check` shows where each thing goes.</extracomment>
            <translation>Aucune correspondance choisie : tout est associé automatiquement. `crocoqb check` montre où va chaque élément.</translation>
        </message>
        <message>
            <source>map.cli.removed</source>
            <extracomment>{kind} '{source}': mapping removed; the automatic choice applies again.</extracomment>
            <translation>{kind} '{source}' : correspondance retirée ; le choix automatique s'applique de nouveau.</translation>
        </message>
        <message>
            <source>mapping.amounts_not_adding_up</source>
            <extracomment>the amounts of {what} do not add up: its lines come to {items_sum}, discount {discount}, tax {total_tax}, which makes {implied}, but its total is {total}</extracomment>
            <translation>Montants incohérents pour {what} : ses lignes font {items_sum}, remise {discount}, taxes {total_tax}, soit {implied}, mais son total est {total}</translation>
        </message>
        <message>
            <source>mapping.bad_date</source>
            <extracomment>its {what} '{value}' is not a valid date</extracomment>
            <translation>sa {what} « {value} » n'est pas une date valide</translation>
        </message>
        <message>
            <source>mapping.currency_customer</source>
            <extracomment>it is in {cur}, but its QuickBooks customer uses {customer_currency} and QuickBooks keeps one currency per customer</extracomment>
            <translation>il est en {cur}, mais son client QuickBooks utilise {customer_currency} et QuickBooks garde une seule devise par client</translation>
        </message>
        <message>
            <source>mapping.currency_customer.fix</source>
            <extracomment>Issue this contact's documents in {customer_currency} in CrocoClick, or create a separate {cur} customer for it in QuickBooks and link it, then press Sync now.</extracomment>
            <translation>Émettez les documents de ce contact en {customer_currency} dans CrocoClick, ou créez pour lui un client distinct en {cur} dans QuickBooks et liez-le, puis appuyez sur Synchroniser maintenant.</translation>
        </message>
        <message>
            <source>mapping.currency_not_home</source>
            <extracomment>it is in {cur}, but the QuickBooks company works only in {home_currency}</extracomment>
            <translation>il est en {cur}, mais l'entreprise QuickBooks travaille seulement en {home_currency}</translation>
        </message>
        <message>
            <source>mapping.currency_not_home.fix</source>
            <extracomment>Turn on multicurrency in QuickBooks (Account and settings &gt; Advanced &gt; Currency; it cannot be turned off again), or issue the document in {home_currency} in CrocoClick, then press Sync now.</extracomment>
            <translation>Activez le multidevise dans QuickBooks (Compte et paramètres &gt; Avancé &gt; Devise ; il ne peut plus être désactivé), ou émettez le document en {home_currency} dans CrocoClick, puis appuyez sur Synchroniser maintenant.</translation>
        </message>
        <message>
            <source>mapping.customer_no_contact_info</source>
            <extracomment>the QuickBooks customer {display_name} has neither an email address nor a phone number, and CrocoClick needs one of them</extracomment>
            <translation>le client QuickBooks {display_name} n'a ni adresse courriel ni numéro de téléphone, et CrocoClick a besoin de l'un des deux</translation>
        </message>
        <message>
            <source>mapping.customer_no_contact_info.fix</source>
            <extracomment>Add an email address to this customer in QuickBooks; it will be imported at the next sync.</extracomment>
            <translation>Ajoutez une adresse courriel à ce client dans QuickBooks ; il sera importé à la prochaine synchronisation.</translation>
        </message>
        <message>
            <source>mapping.data.fix</source>
            <extracomment>Open the record in CrocoClick, check its amounts, save it again, then press Sync now.</extracomment>
            <translation>Ouvrez l'enregistrement dans CrocoClick, vérifiez ses montants, enregistrez-le de nouveau, puis appuyez sur Synchroniser maintenant.</translation>
        </message>
        <message>
            <source>mapping.date.fix</source>
            <extracomment>Open the invoice in CrocoClick, set its dates again, save it, then press Sync now.</extracomment>
            <translation>Ouvrez la facture dans CrocoClick, saisissez de nouveau ses dates, enregistrez-la, puis appuyez sur Synchroniser maintenant.</translation>
        </message>
        <message>
            <source>mapping.deposit_not_found</source>
            <extracomment>the deposit account '{wanted}' was not found among the active accounts in QuickBooks</extracomment>
            <translation>le compte de dépôt « {wanted} » ne figure pas parmi les comptes actifs de QuickBooks</translation>
        </message>
        <message>
            <source>mapping.deposit_not_found.fix</source>
            <extracomment>Correct the deposit account in CrocoQB's settings (sync.deposit_account) to match an account in QuickBooks' Chart of accounts, or clear it to use Undeposited Funds, then press Sync now.</extracomment>
            <translation>Corrigez le compte de dépôt dans les paramètres de CrocoQB (sync.deposit_account) pour qu'il corresponde à un compte du plan comptable de QuickBooks, ou videz-le pour utiliser Fonds non déposés, puis appuyez sur Synchroniser maintenant.</translation>
        </message>
        <message>
            <source>mapping.discount_out_of_range</source>
            <extracomment>its discount of {amount} is not between 0 and its lines' total of {items_sum}, which QuickBooks requires</extracomment>
            <translation>sa remise de {amount} n'est pas comprise entre 0 et le total de ses lignes, {items_sum}, comme QuickBooks l'exige</translation>
        </message>
        <message>
            <source>mapping.discount_out_of_range.fix</source>
            <extracomment>Correct the discount in CrocoClick (a surcharge is a line, not a negative discount), then press Sync now.</extracomment>
            <translation>Corrigez la remise dans CrocoClick (un supplément est une ligne, pas une remise négative), puis appuyez sur Synchroniser maintenant.</translation>
        </message>
        <message>
            <source>mapping.error.title</source>
            <extracomment>Record not synced</extracomment>
            <translation>Enregistrement non synchronisé</translation>
        </message>
        <message>
            <source>mapping.import_not_adding_up</source>
            <extracomment>QuickBooks invoice {doc_number} does not add up the way CrocoClick counts (lines {subtotal} - discount {discount_amount} + tax {tax_total} is not its total {total})</extracomment>
            <translation>la facture QuickBooks {doc_number} ne concorde pas avec le calcul de CrocoClick (lignes {subtotal} - remise {discount_amount} + taxes {tax_total} ne font pas son total {total})</translation>
        </message>
        <message>
            <source>mapping.import_not_adding_up.fix</source>
            <extracomment>This invoice stays in QuickBooks only; check it there (deposits, shipping or rounding).</extracomment>
            <translation>Cette facture reste seulement dans QuickBooks ; vérifiez-la là-bas (acomptes, livraison ou arrondis).</translation>
        </message>
        <message>
            <source>mapping.import_too_many_lines</source>
            <extracomment>QuickBooks invoice {doc_number} has {item_lines} lines; CrocoClick accepts at most {max_items}</extracomment>
            <translation>la facture QuickBooks {doc_number} a {item_lines} lignes ; CrocoClick en accepte au plus {max_items}</translation>
        </message>
        <message>
            <source>mapping.import_too_many_lines.fix</source>
            <extracomment>This invoice stays in QuickBooks only; nothing else is affected.</extracomment>
            <translation>Cette facture reste seulement dans QuickBooks ; rien d'autre n'est touché.</translation>
        </message>
        <message>
            <source>mapping.instead.credit_memo</source>
            <extracomment>record the credit in QuickBooks as a credit memo</extracomment>
            <translation>enregistrez le crédit dans QuickBooks comme note de crédit</translation>
        </message>
        <message>
            <source>mapping.instead.refund_receipt</source>
            <extracomment>record it in QuickBooks as a refund receipt</extracomment>
            <translation>enregistrez-le dans QuickBooks comme reçu de remboursement</translation>
        </message>
        <message>
            <source>mapping.kind.invoice</source>
            <extracomment>invoice</extracomment>
            <translation>facture</translation>
        </message>
        <message>
            <source>mapping.kind.sales_receipt</source>
            <extracomment>sales receipt</extracomment>
            <translation>reçu de vente</translation>
        </message>
        <message>
            <source>mapping.lines.fix</source>
            <extracomment>Open the document in CrocoClick, check its lines and totals, save it again, then press Sync now.</extracomment>
            <translation>Ouvrez le document dans CrocoClick, vérifiez ses lignes et ses totaux, enregistrez-le de nouveau, puis appuyez sur Synchroniser maintenant.</translation>
        </message>
        <message>
            <source>mapping.mixed_tax_modes</source>
            <extracomment>it mixes taxes included in the price with taxes added on top, which one QuickBooks document cannot hold</extracomment>
            <translation>il mélange des taxes incluses dans le prix et des taxes ajoutées en sus, ce qu'un document QuickBooks ne peut pas contenir</translation>
        </message>
        <message>
            <source>mapping.mixed_tax_modes.fix</source>
            <extracomment>Make all taxes of this document either included in the price or added on top in CrocoClick, then press Sync now.</extracomment>
            <translation>Rendez toutes les taxes de ce document soit incluses dans le prix, soit ajoutées en sus dans CrocoClick, puis appuyez sur Synchroniser maintenant.</translation>
        </message>
        <message>
            <source>mapping.mixed_tax_rates</source>
            <extracomment>its lines carry different sales tax rates, and this QuickBooks company applies one sales tax rate per transaction</extracomment>
            <translation>ses lignes ont des taux de taxe de vente différents, et cette entreprise QuickBooks applique un seul taux par transaction</translation>
        </message>
        <message>
            <source>mapping.mixed_tax_rates.fix</source>
            <extracomment>Use one tax rate for all taxed lines of this document in CrocoClick, or turn on automated sales tax in QuickBooks, then press Sync now.</extracomment>
            <translation>Utilisez un seul taux de taxe pour toutes les lignes taxées de ce document dans CrocoClick, ou activez la taxe de vente automatisée dans QuickBooks, puis appuyez sur Synchroniser maintenant.</translation>
        </message>
        <message>
            <source>mapping.negative_total</source>
            <extracomment>its total is {total}, and QuickBooks does not accept a {kind} with a negative total</extracomment>
            <translation>son total est {total}, et QuickBooks n'accepte pas de {kind} dont le total est négatif</translation>
        </message>
        <message>
            <source>mapping.negative_total.fix</source>
            <extracomment>Correct its lines in CrocoClick (a negative amount is a credit), or {instead}, then press Sync now.</extracomment>
            <translation>Corrigez ses lignes dans CrocoClick (un montant négatif est un crédit), ou {instead}, puis appuyez sur Synchroniser maintenant.</translation>
        </message>
        <message>
            <source>mapping.no_home_currency</source>
            <extracomment>QuickBooks did not say which currency the company uses</extracomment>
            <translation>QuickBooks n'a pas indiqué la devise de l'entreprise</translation>
        </message>
        <message>
            <source>mapping.no_home_currency.fix</source>
            <extracomment>Check Account and settings &gt; Advanced &gt; Currency in QuickBooks, then press Sync now.</extracomment>
            <translation>Vérifiez Compte et paramètres &gt; Avancé &gt; Devise dans QuickBooks, puis appuyez sur Synchroniser maintenant.</translation>
        </message>
        <message>
            <source>mapping.no_lines</source>
            <extracomment>{what} has no lines</extracomment>
            <translation>{what} n'a aucune ligne</translation>
        </message>
        <message>
            <source>mapping.no_tax_code</source>
            <extracomment>QuickBooks has no active tax code for {what}{total}</extracomment>
            <translation>QuickBooks n'a aucun code de taxe actif pour {what}{total}</translation>
        </message>
        <message>
            <source>mapping.no_undeposited_funds</source>
            <extracomment>QuickBooks has no active Undeposited Funds account to record payments in</extracomment>
            <translation>QuickBooks n'a aucun compte Fonds non déposés actif où enregistrer les paiements</translation>
        </message>
        <message>
            <source>mapping.no_undeposited_funds.fix</source>
            <extracomment>Choose the account payments go to in CrocoQB's settings (sync.deposit_account), then press Sync now.</extracomment>
            <translation>Choisissez le compte où vont les paiements dans les paramètres de CrocoQB (sync.deposit_account), puis appuyez sur Synchroniser maintenant.</translation>
        </message>
        <message>
            <source>mapping.not_a_number</source>
            <extracomment>{what} ('{value}') is not a number</extracomment>
            <translation>{what} (« {value} ») n'est pas un nombre</translation>
        </message>
        <message>
            <source>mapping.not_a_number.infinite</source>
            <extracomment>{what} ('{value}') is not a number</extracomment>
            <translation>{what} (« {value} ») n'est pas un nombre</translation>
        </message>
        <message>
            <source>mapping.not_a_number.missing</source>
            <extracomment>{what} is missing or not a number</extracomment>
            <translation>{what} : valeur absente ou qui n'est pas un nombre</translation>
        </message>
        <message>
            <source>mapping.number_too_long</source>
            <extracomment>its number '{number}' is longer than the {max_chars} characters QuickBooks allows</extracomment>
            <translation>son numéro « {number} » dépasse les {max_chars} caractères permis par QuickBooks</translation>
        </message>
        <message>
            <source>mapping.number_too_long.fix</source>
            <extracomment>Shorten the invoice number prefix in CrocoClick so numbers have at most {max_chars} characters, or turn off custom transaction numbers in QuickBooks (Account and settings &gt; Sales) so QuickBooks numbers invoices itself, then press Sync now.</extracomment>
            <translation>Raccourcissez le préfixe des numéros de facture dans CrocoClick pour que les numéros aient au plus {max_chars} caractères, ou désactivez les numéros de transaction personnalisés dans QuickBooks (Compte et paramètres &gt; Ventes) pour que QuickBooks numérote lui-même les factures, puis appuyez sur Synchroniser maintenant.</translation>
        </message>
        <message>
            <source>mapping.payment_no_amount</source>
            <extracomment>payment {id} has no positive amount</extracomment>
            <translation>le paiement {id} n'a pas de montant positif</translation>
        </message>
        <message>
            <source>mapping.payment_no_amount.fix</source>
            <extracomment>Check the payment in CrocoClick; nothing needs recording in QuickBooks.</extracomment>
            <translation>Vérifiez le paiement dans CrocoClick ; rien n'est à enregistrer dans QuickBooks.</translation>
        </message>
        <message>
            <source>mapping.quantity_not_positive</source>
            <extracomment>line {line} has a quantity of zero or less</extracomment>
            <translation>la ligne {line} a une quantité nulle ou négative</translation>
        </message>
        <message>
            <source>mapping.refund_too_big</source>
            <extracomment>refund {id} of {amount} does not fit payment {payment} of {total}</extracomment>
            <translation>le remboursement {id} de {amount} ne correspond pas au paiement {payment} de {total}</translation>
        </message>
        <message>
            <source>mapping.refund_too_big.fix</source>
            <extracomment>Check the refund in CrocoClick; record it in QuickBooks by hand if it is correct.</extracomment>
            <translation>Vérifiez le remboursement dans CrocoClick ; enregistrez-le à la main dans QuickBooks s'il est correct.</translation>
        </message>
        <message>
            <source>mapping.taxes_together</source>
            <extracomment> (together {rate}%)</extracomment>
            <translation> (ensemble {rate} %)</translation>
        </message>
        <message>
            <source>mapping.what.amount</source>
            <extracomment>an amount</extracomment>
            <translation>un montant</translation>
        </message>
        <message>
            <source>mapping.what.discount_percent</source>
            <extracomment>the discount percentage</extracomment>
            <translation>le pourcentage de remise</translation>
        </message>
        <message>
            <source>mapping.what.due_date</source>
            <extracomment>due date</extracomment>
            <translation>date d'échéance</translation>
        </message>
        <message>
            <source>mapping.what.issue_date</source>
            <extracomment>issue date</extracomment>
            <translation>date d'émission</translation>
        </message>
        <message>
            <source>mapping.what.line_price</source>
            <extracomment>the unit price of line {line}</extracomment>
            <translation>le prix unitaire de la ligne {line}</translation>
        </message>
        <message>
            <source>mapping.what.line_quantity</source>
            <extracomment>the quantity of line {line}</extracomment>
            <translation>la quantité de la ligne {line}</translation>
        </message>
        <message>
            <source>mapping.what.tax_rate</source>
            <extracomment>a tax rate</extracomment>
            <translation>un taux de taxe</translation>
        </message>
        <message>
            <source>mapping.what.the_refund</source>
            <extracomment>the refund</extracomment>
            <translation>le remboursement</translation>
        </message>
        <message>
            <source>mapping.what.this_document</source>
            <extracomment>this document</extracomment>
            <translation>ce document</translation>
        </message>
        <message>
            <source>mapping.what.total_field</source>
            <extracomment>the {field}</extracomment>
            <translation>le champ {field}</translation>
        </message>
        <message>
            <source>mapping.what.value</source>
            <extracomment>a value</extracomment>
            <translation>une valeur</translation>
        </message>
        <message>
            <source>mappings.bad_provider</source>
            <extracomment>'{source}' is not a payment processor name</extracomment>
            <translation>« {source} » n'est pas un nom de processeur de paiement</translation>
        </message>
        <message>
            <source>mappings.bad_provider_fix</source>
            <extracomment>Use the processor's name as CrocoClick shows it on payments, e.g. stripe.</extracomment>
            <translation>Utilisez le nom du processeur tel que CrocoClick l'affiche sur les paiements, par exemple stripe.</translation>
        </message>
        <message>
            <source>mappings.bad_source_type</source>
            <extracomment>'{source}' is not a CrocoClick payment source type</extracomment>
            <translation>« {source} » n'est pas une provenance de paiement CrocoClick</translation>
        </message>
        <message>
            <source>mappings.bad_source_type_fix</source>
            <extracomment>Use one of: {types}.</extracomment>
            <translation>Utilisez l'une de celles-ci : {types}.</translation>
        </message>
        <message>
            <source>mappings.default_item_missing</source>
            <extracomment>the default item '{name}' (setting sync.default_item) is not an active item in QuickBooks</extracomment>
            <translation>l'article par défaut « {name} » (paramètre sync.default_item) n'est pas un article actif dans QuickBooks</translation>
        </message>
        <message>
            <source>mappings.default_item_missing_fix</source>
            <extracomment>Correct sync.default_item in CrocoQB's settings (an item name or Id), or clear it, then press Sync now.</extracomment>
            <translation>Corrigez sync.default_item dans les paramètres de CrocoQB (un nom ou un Id d'article), ou videz-le, puis appuyez sur Synchroniser maintenant.</translation>
        </message>
        <message>
            <source>mappings.deposit_inactive</source>
            <extracomment>the deposit account (Id {qbo_id}) chosen for {source} payments is inactive or was deleted in QuickBooks</extracomment>
            <translation>le compte de dépôt (Id {qbo_id}) choisi pour les paiements {source} est inactif ou a été supprimé dans QuickBooks</translation>
        </message>
        <message>
            <source>mappings.deposit_inactive_fix</source>
            <extracomment>Choose another deposit account for {source} payments (Check page, or `crocoqb map set deposit {source} &lt;Account Id&gt;`), or make the account active again in QuickBooks, then press Sync now.</extracomment>
            <translation>Choisissez un autre compte de dépôt pour les paiements {source} (onglet Vérification, ou `crocoqb map set deposit {source} &lt;Account Id&gt;`), ou réactivez le compte dans QuickBooks, puis appuyez sur Synchroniser maintenant.</translation>
        </message>
        <message>
            <source>mappings.empty_source</source>
            <extracomment>the {kind} mapping needs a source (what it maps from)</extracomment>
            <translation>la correspondance {kind} demande une source (ce qu'elle associe)</translation>
        </message>
        <message>
            <source>mappings.empty_source_fix</source>
            <extracomment>Give the CrocoClick name or id to map, in quotes if it has spaces.</extracomment>
            <translation>Donnez le nom ou l'identifiant CrocoClick à associer, entre guillemets s'il contient des espaces.</translation>
        </message>
        <message>
            <source>mappings.empty_target</source>
            <extracomment>the QuickBooks Id is empty</extracomment>
            <translation>l'Id QuickBooks est vide</translation>
        </message>
        <message>
            <source>mappings.empty_target_fix</source>
            <extracomment>Give the Id of the QuickBooks object.</extracomment>
            <translation>Donnez l'Id de l'élément QuickBooks.</translation>
        </message>
        <message>
            <source>mappings.error.title</source>
            <extracomment>Mapping not changed</extracomment>
            <translation>Correspondance non modifiée</translation>
        </message>
        <message>
            <source>mappings.item_category</source>
            <extracomment>'{name}' (Id {qbo_id}) is a category, not an item</extracomment>
            <translation>« {name} » (Id {qbo_id}) est une catégorie, pas un article</translation>
        </message>
        <message>
            <source>mappings.item_category_fix</source>
            <extracomment>Choose a product or service (Sales &gt; Products and services).</extracomment>
            <translation>Choisissez un produit ou un service (Ventes &gt; Produits et services).</translation>
        </message>
        <message>
            <source>mappings.item_inactive</source>
            <extracomment>the item (Id {qbo_id}) chosen for '{source}' is inactive or was deleted in QuickBooks</extracomment>
            <translation>l'article (Id {qbo_id}) choisi pour « {source} » est inactif ou a été supprimé dans QuickBooks</translation>
        </message>
        <message>
            <source>mappings.item_inactive_fix</source>
            <extracomment>Choose another item for '{source}' on the Check page (`crocoqb map set item`), or make it active again in QuickBooks, then press Sync now.</extracomment>
            <translation>Choisissez un autre article pour « {source} » dans l'onglet Vérification (`crocoqb map set item`), ou réactivez-le dans QuickBooks, puis appuyez sur Synchroniser maintenant.</translation>
        </message>
        <message>
            <source>mappings.long_source</source>
            <extracomment>the source is longer than 200 characters</extracomment>
            <translation>la source dépasse 200 caractères</translation>
        </message>
        <message>
            <source>mappings.long_source_fix</source>
            <extracomment>Use the CrocoClick name or id exactly as shown by `crocoqb check`.</extracomment>
            <translation>Utilisez le nom ou l'identifiant CrocoClick exactement comme `crocoqb check` l'affiche.</translation>
        </message>
        <message>
            <source>mappings.none_to_unset</source>
            <extracomment>there is no {kind} mapping for '{source}'</extracomment>
            <translation>il n'y a pas de correspondance {kind} pour « {source} »</translation>
        </message>
        <message>
            <source>mappings.none_to_unset_fix</source>
            <extracomment>Run `crocoqb map list` to see the mappings.</extracomment>
            <translation>Lancez `crocoqb map list` pour voir les correspondances.</translation>
        </message>
        <message>
            <source>mappings.target_inactive</source>
            <extracomment>the {entity} '{name}' (Id {qbo_id}) is inactive in QuickBooks</extracomment>
            <translation>l'élément {entity} « {name} » (Id {qbo_id}) est inactif dans QuickBooks</translation>
        </message>
        <message>
            <source>mappings.target_inactive_fix</source>
            <extracomment>Make it active again in QuickBooks ({where}) or choose an active one.</extracomment>
            <translation>Réactivez-le dans QuickBooks ({where}) ou choisissez-en un actif.</translation>
        </message>
        <message>
            <source>mappings.target_missing</source>
            <extracomment>QuickBooks has no {entity} with Id {qbo_id}</extracomment>
            <translation>QuickBooks n'a pas d'élément {entity} d'Id {qbo_id}</translation>
        </message>
        <message>
            <source>mappings.target_missing_fix</source>
            <extracomment>Check the Id in QuickBooks ({where}), or run `crocoqb map list` and `crocoqb check` to see the ones that fit.</extracomment>
            <translation>Vérifiez l'Id dans QuickBooks ({where}), ou lancez `crocoqb map list` et `crocoqb check` pour voir ceux qui conviennent.</translation>
        </message>
        <message>
            <source>mappings.tax_no_rate</source>
            <extracomment>the tax code '{name}' (Id {qbo_id}) has no sales tax rate</extracomment>
            <translation>le code de taxe « {name} » (Id {qbo_id}) n'a pas de taux de taxe de vente</translation>
        </message>
        <message>
            <source>mappings.tax_no_rate_fix</source>
            <extracomment>Choose a tax code with a sales rate (Taxes &gt; Sales tax settings).</extracomment>
            <translation>Choisissez un code de taxe avec un taux de vente (Taxes &gt; Paramètres de la taxe de vente).</translation>
        </message>
        <message>
            <source>mappings.tax_rate_differs</source>
            <extracomment>the tax code '{name}' (Id {qbo_id}) is {code_rate}%, but CrocoClick's '{source}' is {croco_rate}%</extracomment>
            <translation>le code de taxe « {name} » (Id {qbo_id}) est à {code_rate} %, mais « {source} » de CrocoClick est à {croco_rate} %</translation>
        </message>
        <message>
            <source>mappings.tax_rate_differs_fix</source>
            <extracomment>Choose a tax code at {croco_rate}% (or create one in Taxes &gt; Sales tax settings).</extracomment>
            <translation>Choisissez un code de taxe à {croco_rate} % (ou créez-en un dans Taxes &gt; Paramètres de la taxe de vente).</translation>
        </message>
        <message>
            <source>mappings.tax_unseen</source>
            <extracomment>CrocoClick's recent invoices and payments carry no tax named '{source}', so its rate is unknown</extracomment>
            <translation>les factures et paiements récents de CrocoClick ne portent aucune taxe nommée « {source} », son taux est donc inconnu</translation>
        </message>
        <message>
            <source>mappings.tax_unseen_fix</source>
            <extracomment>Use the tax name exactly as `crocoqb check` lists it.</extracomment>
            <translation>Utilisez le nom de la taxe exactement comme `crocoqb check` l'affiche.</translation>
        </message>
        <message>
            <source>mappings.unknown_kind</source>
            <extracomment>'{kind}' is not a kind of mapping</extracomment>
            <translation>« {kind} » n'est pas un type de correspondance</translation>
        </message>
        <message>
            <source>mappings.unknown_kind_fix</source>
            <extracomment>Use one of: {kinds}.</extracomment>
            <translation>Utilisez l'un de ceux-ci : {kinds}.</translation>
        </message>
        <message>
            <source>mappings.wrong_account_type</source>
            <extracomment>the account '{name}' (Id {qbo_id}) is of type {type}, but a {kind} account must be of type {allowed}</extracomment>
            <translation>le compte « {name} » (Id {qbo_id}) est de type {type}, mais un compte {kind} doit être de type {allowed}</translation>
        </message>
        <message>
            <source>mappings.wrong_account_type_fix</source>
            <extracomment>Choose an account of type {allowed} (Accounting &gt; Chart of accounts).</extracomment>
            <translation>Choisissez un compte de type {allowed} (Comptabilité &gt; Plan comptable).</translation>
        </message>
        <message>
            <source>net.https_only</source>
            <extracomment>refusing to connect to {scheme}://{hostname}: only https is allowed (plain http only for 127.0.0.1)</extracomment>
            <translation>connexion à {scheme}://{hostname} refusée : seul https est permis (http simple seulement pour 127.0.0.1)</translation>
        </message>
        <message>
            <source>net.https_only.fix</source>
            <extracomment>Use an https:// address in the settings.</extracomment>
            <translation>Utilisez une adresse https:// dans les paramètres.</translation>
        </message>
        <message>
            <source>oauth.access_denied</source>
            <extracomment>the access was declined in QuickBooks</extracomment>
            <translation>l'accès a été refusé dans QuickBooks</translation>
        </message>
        <message>
            <source>oauth.answered</source>
            <extracomment>QuickBooks answered '{error}'</extracomment>
            <translation>QuickBooks a répondu « {error} »</translation>
        </message>
        <message>
            <source>oauth.answered.detail</source>
            <extracomment>QuickBooks answered '{error}': {description}</extracomment>
            <translation>QuickBooks a répondu « {error} » : {description}</translation>
        </message>
        <message>
            <source>oauth.authorization_failed.fix</source>
            <extracomment>Press Connect again (or run `crocoqb connect`) and accept the access in QuickBooks.</extracomment>
            <translation>Appuyez de nouveau sur Connecter (ou lancez `crocoqb connect`) et acceptez l'accès dans QuickBooks.</translation>
        </message>
        <message>
            <source>oauth.authorization_failed.title</source>
            <extracomment>QuickBooks was not connected</extracomment>
            <translation>QuickBooks n'a pas été connecté</translation>
        </message>
        <message>
            <source>oauth.cannot_listen</source>
            <extracomment>CrocoQB could not listen on 127.0.0.1 port {port} for QuickBooks' answer ({strerror})</extracomment>
            <translation>CrocoQB n'a pas pu écouter sur 127.0.0.1, port {port}, la réponse de QuickBooks ({strerror})</translation>
        </message>
        <message>
            <source>oauth.cannot_listen.fix</source>
            <extracomment>Close the program using that port, or change qbo.redirect_uri, then connect again.</extracomment>
            <translation>Fermez le programme qui utilise ce port, ou modifiez qbo.redirect_uri, puis connectez-vous de nouveau.</translation>
        </message>
        <message>
            <source>oauth.client_refused</source>
            <extracomment>Intuit refused the client id or secret (invalid_client)</extracomment>
            <translation>Intuit a refusé l'identifiant client ou le secret (invalid_client)</translation>
        </message>
        <message>
            <source>oauth.client_refused.fix</source>
            <extracomment>Check qbo.client_id and the client secret stored in the keychain.</extracomment>
            <translation>Vérifiez qbo.client_id et le secret client enregistré dans le trousseau.</translation>
        </message>
        <message>
            <source>oauth.code_refused</source>
            <extracomment>QuickBooks refused the authorization code (invalid_grant): it expired or was already used</extracomment>
            <translation>QuickBooks a refusé le code d'autorisation (invalid_grant) : il a expiré ou a déjà été utilisé</translation>
        </message>
        <message>
            <source>oauth.direct_keys_missing</source>
            <extracomment>direct mode needs your Intuit app's client id (setting qbo.client_id) and client secret (in the keychain)</extracomment>
            <translation>le mode direct demande l'identifiant client de votre application Intuit (paramètre qbo.client_id) et son secret client (dans le trousseau)</translation>
        </message>
        <message>
            <source>oauth.direct_keys_missing.fix</source>
            <extracomment>Set qbo.client_id and store the secret, or switch back with `crocoqb config set qbo.oauth relay`.</extracomment>
            <translation>Définissez qbo.client_id et enregistrez le secret, ou revenez au relais avec `crocoqb config set qbo.oauth relay`.</translation>
        </message>
        <message>
            <source>oauth.direct_keys_missing.title</source>
            <extracomment>QuickBooks app keys missing</extracomment>
            <translation>Clés de l'application QuickBooks manquantes</translation>
        </message>
        <message>
            <source>oauth.no_code</source>
            <extracomment>QuickBooks' answer did not contain an authorization code</extracomment>
            <translation>la réponse de QuickBooks ne contenait pas de code d'autorisation</translation>
        </message>
        <message>
            <source>oauth.no_realm</source>
            <extracomment>QuickBooks' answer did not say which company was chosen (no realmId)</extracomment>
            <translation>la réponse de QuickBooks n'indiquait pas l'entreprise choisie (pas de realmId)</translation>
        </message>
        <message>
            <source>oauth.no_realm.fix</source>
            <extracomment>Connect again, or paste the whole address of the page you landed on (it has realmId in it).</extracomment>
            <translation>Connectez-vous de nouveau, ou collez l'adresse complète de la page où vous êtes arrivé (elle contient realmId).</translation>
        </message>
        <message>
            <source>oauth.nothing_pasted</source>
            <extracomment>nothing was pasted</extracomment>
            <translation>rien n'a été collé</translation>
        </message>
        <message>
            <source>oauth.nothing_pasted.fix</source>
            <extracomment>Paste the address of the page you landed on.</extracomment>
            <translation>Collez l'adresse de la page où vous êtes arrivé.</translation>
        </message>
        <message>
            <source>oauth.paste_other_attempt</source>
            <extracomment>the pasted address belongs to another connection attempt</extracomment>
            <translation>l'adresse collée appartient à une autre tentative de connexion</translation>
        </message>
        <message>
            <source>oauth.paste_other_attempt.fix</source>
            <extracomment>Start the connection again and paste the address from that attempt.</extracomment>
            <translation>Recommencez la connexion et collez l'adresse de cette tentative-là.</translation>
        </message>
        <message>
            <source>oauth.paste_unrecognised</source>
            <extracomment>the pasted text is neither the address of the page QuickBooks sent you to nor a code and company id</extracomment>
            <translation>le texte collé n'est ni l'adresse de la page où QuickBooks vous a envoyé, ni un code et un identifiant d'entreprise</translation>
        </message>
        <message>
            <source>oauth.paste_unrecognised.fix</source>
            <extracomment>Paste the whole address (it contains code=, state= and realmId=), or the code then the company id separated by a space.</extracomment>
            <translation>Collez l'adresse complète (elle contient code=, state= et realmId=), ou le code puis l'identifiant de l'entreprise séparés par une espace.</translation>
        </message>
        <message>
            <source>oauth.plain_http</source>
            <extracomment>refusing plain http to {hostname}</extracomment>
            <translation>http simple vers {hostname} refusé</translation>
        </message>
        <message>
            <source>oauth.relay_access</source>
            <extracomment>CrocoClick refused access to this location ({what})</extracomment>
            <translation>CrocoClick a refusé l'accès à cet emplacement ({what})</translation>
        </message>
        <message>
            <source>oauth.relay_access.fix</source>
            <extracomment>Check the location id and the API key's permissions in CrocoClick.</extracomment>
            <translation>Vérifiez l'identifiant de l'emplacement et les autorisations de la clé API dans CrocoClick.</translation>
        </message>
        <message>
            <source>oauth.relay_access.title</source>
            <extracomment>CrocoClick refused access</extracomment>
            <translation>CrocoClick a refusé l'accès</translation>
        </message>
        <message>
            <source>oauth.relay_api_key</source>
            <extracomment>CrocoClick refused the API key ({what})</extracomment>
            <translation>CrocoClick a refusé la clé API ({what})</translation>
        </message>
        <message>
            <source>oauth.relay_api_key.fix</source>
            <extracomment>Run `crocoqb croco-login` (or open the CrocoClick card) with a valid API key.</extracomment>
            <translation>Lancez `crocoqb croco-login` (ou ouvrez la carte CrocoClick) avec une clé API valide.</translation>
        </message>
        <message>
            <source>oauth.relay_api_key.title</source>
            <extracomment>CrocoClick refused the API key</extracomment>
            <translation>CrocoClick a refusé la clé API</translation>
        </message>
        <message>
            <source>oauth.relay_config_incomplete</source>
            <extracomment>CrocoClick's QuickBooks settings are incomplete ({missing})</extracomment>
            <translation>les paramètres QuickBooks de CrocoClick sont incomplets ({missing})</translation>
        </message>
        <message>
            <source>oauth.relay_down</source>
            <extracomment>CrocoClick's QuickBooks relay is unavailable right now (HTTP {status})</extracomment>
            <translation>le relais QuickBooks de CrocoClick est indisponible pour le moment (HTTP {status})</translation>
        </message>
        <message>
            <source>oauth.relay_forbidden</source>
            <extracomment>CrocoClick refused access to this location's QuickBooks connection</extracomment>
            <translation>CrocoClick a refusé l'accès à la connexion QuickBooks de cet emplacement</translation>
        </message>
        <message>
            <source>oauth.relay_forbidden.fix</source>
            <extracomment>Check the location id and the API key's permissions in CrocoClick.</extracomment>
            <translation>Vérifiez l'identifiant de l'emplacement et les autorisations de la clé API dans CrocoClick.</translation>
        </message>
        <message>
            <source>oauth.relay_forbidden.title</source>
            <extracomment>CrocoClick refused access</extracomment>
            <translation>CrocoClick a refusé l'accès</translation>
        </message>
        <message>
            <source>oauth.relay_key_refused</source>
            <extracomment>CrocoClick refused the API key while connecting to QuickBooks</extracomment>
            <translation>CrocoClick a refusé la clé API pendant la connexion à QuickBooks</translation>
        </message>
        <message>
            <source>oauth.relay_key_refused.fix</source>
            <extracomment>Run `crocoqb croco-login` (or open the CrocoClick card) with a valid API key.</extracomment>
            <translation>Lancez `crocoqb croco-login` (ou ouvrez la carte CrocoClick) avec une clé API valide.</translation>
        </message>
        <message>
            <source>oauth.relay_key_refused.title</source>
            <extracomment>CrocoClick refused the API key</extracomment>
            <translation>CrocoClick a refusé la clé API</translation>
        </message>
        <message>
            <source>oauth.relay_unavailable</source>
            <extracomment>CrocoClick is unavailable right now ({what}, HTTP {status})</extracomment>
            <translation>CrocoClick est indisponible pour le moment ({what}, HTTP {status})</translation>
        </message>
        <message>
            <source>oauth.relay_unexpected</source>
            <extracomment>unexpected answer from CrocoClick ({what}, HTTP {status})</extracomment>
            <translation>réponse inattendue de CrocoClick ({what}, HTTP {status})</translation>
        </message>
        <message>
            <source>oauth.relay_unreachable</source>
            <extracomment>CrocoClick could not be reached ({name})</extracomment>
            <translation>CrocoClick est injoignable ({name})</translation>
        </message>
        <message>
            <source>oauth.revoke_refused</source>
            <extracomment>QuickBooks refused to revoke the authorization (HTTP {status})</extracomment>
            <translation>QuickBooks a refusé de révoquer l'autorisation (HTTP {status})</translation>
        </message>
        <message>
            <source>oauth.revoke_unavailable</source>
            <extracomment>QuickBooks' sign-in service is unavailable (HTTP {status})</extracomment>
            <translation>le service de connexion de QuickBooks est indisponible (HTTP {status})</translation>
        </message>
        <message>
            <source>oauth.revoke_unreachable</source>
            <extracomment>QuickBooks' sign-in service could not be reached ({name})</extracomment>
            <translation>le service de connexion de QuickBooks est injoignable ({name})</translation>
        </message>
        <message>
            <source>oauth.scope_changed</source>
            <extracomment>QuickBooks granted other permissions than asked ({exc})</extracomment>
            <translation>QuickBooks a accordé d'autres autorisations que celles demandées ({exc})</translation>
        </message>
        <message>
            <source>oauth.signin_down</source>
            <extracomment>QuickBooks' sign-in service is unavailable right now (HTTP {status})</extracomment>
            <translation>le service de connexion de QuickBooks est indisponible pour le moment (HTTP {status})</translation>
        </message>
        <message>
            <source>oauth.signin_unreachable</source>
            <extracomment>QuickBooks' sign-in service could not be reached ({name})</extracomment>
            <translation>le service de connexion de QuickBooks est injoignable ({name})</translation>
        </message>
        <message>
            <source>oauth.timeout</source>
            <extracomment>no answer from QuickBooks within {timeout_s} seconds</extracomment>
            <translation>aucune réponse de QuickBooks en {timeout_s} secondes</translation>
        </message>
        <message>
            <source>oauth.timeout.fix</source>
            <extracomment>Connect again and finish the sign-in in the browser, or use the paste option (copy the address of the page you land on).</extracomment>
            <translation>Connectez-vous de nouveau et terminez la connexion dans le navigateur, ou utilisez l'option de collage (copiez l'adresse de la page où vous arrivez).</translation>
        </message>
        <message>
            <source>oauth.timeout.title</source>
            <extracomment>QuickBooks sign-in timed out</extracomment>
            <translation>Délai de connexion à QuickBooks dépassé</translation>
        </message>
        <message>
            <source>oauth.token_endpoint_unexpected</source>
            <extracomment>unexpected answer from QuickBooks' token endpoint ({name})</extracomment>
            <translation>réponse inattendue du service de jetons de QuickBooks ({name})</translation>
        </message>
        <message>
            <source>oauth.token_refused</source>
            <extracomment>the token request was refused ({error})</extracomment>
            <translation>la demande de jeton a été refusée ({error})</translation>
        </message>
        <message>
            <source>oauth.token_refused.fix</source>
            <extracomment>Check the QuickBooks app settings (client id, secret, redirect URI), then connect again.</extracomment>
            <translation>Vérifiez les paramètres de l'application QuickBooks (identifiant client, secret, URI de redirection), puis connectez-vous de nouveau.</translation>
        </message>
        <message>
            <source>oauth.token_unexpected</source>
            <extracomment>unexpected answer from the token endpoint (HTTP {status})</extracomment>
            <translation>réponse inattendue du service de jetons (HTTP {status})</translation>
        </message>
        <message>
            <source>oauth.what.revoking</source>
            <extracomment>revoking the QuickBooks authorization</extracomment>
            <translation>révocation de l'autorisation QuickBooks</translation>
        </message>
        <message>
            <source>oauth.what.settings</source>
            <extracomment>QuickBooks settings</extracomment>
            <translation>paramètres QuickBooks</translation>
        </message>
        <message>
            <source>payouts.account_created</source>
            <extracomment>Created the QuickBooks account '{name}' for {provider} ({kind})</extracomment>
            <translation>Compte QuickBooks « {name} » créé pour {provider} ({kind})</translation>
        </message>
        <message>
            <source>payouts.account_inactive</source>
            <extracomment>payout {payout} cannot be recorded: the account '{name}' (Id {qbo_id}) chosen for {provider} ({kind}) is inactive or was deleted in QuickBooks</extracomment>
            <translation>le versement {payout} ne peut pas être enregistré : le compte « {name} » (Id {qbo_id}) choisi pour {provider} ({kind}) est inactif ou a été supprimé dans QuickBooks</translation>
        </message>
        <message>
            <source>payouts.account_inactive_fix</source>
            <extracomment>Choose another account: run `crocoqb map set {kind} {provider} &lt;Account Id&gt;` (or on the Payouts tab), or make the account active again in QuickBooks, then press Sync now.</extracomment>
            <translation>Choisissez un autre compte : lancez `crocoqb map set {kind} {provider} &lt;Id du compte&gt;` (ou dans l'onglet Versements), ou réactivez le compte dans QuickBooks, puis appuyez sur Synchroniser maintenant.</translation>
        </message>
        <message>
            <source>payouts.account_type</source>
            <extracomment>the QuickBooks account '{name}' is a {found} account, not {wanted}</extracomment>
            <translation>le compte QuickBooks « {name} » est un compte de type {found}, pas {wanted}</translation>
        </message>
        <message>
            <source>payouts.account_type_fix</source>
            <extracomment>Choose the {kind} account for {provider}: run `crocoqb map set {kind} {provider} &lt;Account Id&gt;`, then press Sync now.</extracomment>
            <translation>Choisissez le compte {kind} de {provider} : lancez `crocoqb map set {kind} {provider} &lt;Account Id&gt;`, puis appuyez sur Synchroniser maintenant.</translation>
        </message>
        <message>
            <source>payouts.adjustment_gross_net</source>
            <extracomment>an adjustment of payout {payout} has a gross {gross} that is not its net {net}</extracomment>
            <translation>un ajustement du versement {payout} a un brut {gross} qui n'est pas son net {net}</translation>
        </message>
        <message>
            <source>payouts.booked</source>
            <extracomment>Recorded {provider} payout {payout} of {amount} {currency} as a transfer to the bank in QuickBooks</extracomment>
            <translation>Versement {provider} {payout} de {amount} {currency} enregistré dans QuickBooks comme virement vers la banque</translation>
        </message>
        <message>
            <source>payouts.cli_balance</source>
            <extracomment>Clearing account {account} ({provider}): QuickBooks {balance}, expected {expected}, not paid out yet {unpaid}: {state}</extracomment>
            <translation>Compte d'attente {account} ({provider}) : QuickBooks {balance}, attendu {expected}, pas encore versé {unpaid} : {state}</translation>
        </message>
        <message>
            <source>payouts.cli_balanced</source>
            <extracomment>balanced</extracomment>
            <translation>équilibré</translation>
        </message>
        <message>
            <source>payouts.cli_drift</source>
            <extracomment>DRIFT {drift}</extracomment>
            <translation>ÉCART {drift}</translation>
        </message>
        <message>
            <source>payouts.cli_in_qbo</source>
            <extracomment>in QuickBooks</extracomment>
            <translation>dans QuickBooks</translation>
        </message>
        <message>
            <source>payouts.cli_mode</source>
            <extracomment>Payouts mode: {mode}</extracomment>
            <translation>Mode des versements : {mode}</translation>
        </message>
        <message>
            <source>payouts.cli_no_balance</source>
            <extracomment>Balances not checked: {reason}</extracomment>
            <translation>Soldes non vérifiés : {reason}</translation>
        </message>
        <message>
            <source>payouts.cli_none</source>
            <extracomment>No payouts yet.</extracomment>
            <translation>Aucun versement pour l'instant.</translation>
        </message>
        <message>
            <source>payouts.cli_not_in_qbo</source>
            <extracomment>not in QuickBooks yet</extracomment>
            <translation>pas encore dans QuickBooks</translation>
        </message>
        <message>
            <source>payouts.data_fix</source>
            <extracomment>Check the payout in CrocoClick; if it is right, record it in QuickBooks by hand.</extracomment>
            <translation>Vérifiez le versement dans CrocoClick ; s'il est juste, enregistrez-le à la main dans QuickBooks.</translation>
        </message>
        <message>
            <source>payouts.drift_fix</source>
            <extracomment>  A booked transaction in this account was changed or deleted in QuickBooks: compare the account's register with `crocoqb payouts` and undo the edit.</extracomment>
            <translation>  Une opération enregistrée dans ce compte a été modifiée ou supprimée dans QuickBooks : comparez le registre du compte avec `crocoqb payouts` et annulez la modification.</translation>
        </message>
        <message>
            <source>payouts.failed</source>
            <extracomment>{what} was not recorded in QuickBooks: {reason}</extracomment>
            <translation>{what} n'a pas été enregistré dans QuickBooks : {reason}</translation>
        </message>
        <message>
            <source>payouts.fee_not_positive</source>
            <extracomment>the fee {fee} of payment {payment} is not positive</extracomment>
            <translation>les frais {fee} du paiement {payment} ne sont pas positifs</translation>
        </message>
        <message>
            <source>payouts.fee_not_positive_fix</source>
            <extracomment>Nothing to record: QuickBooks needs no expense for a zero fee.</extracomment>
            <translation>Rien à enregistrer : QuickBooks n'a pas besoin de dépense pour des frais nuls.</translation>
        </message>
        <message>
            <source>payouts.items_do_not_add_up</source>
            <extracomment>payout {payout} of {amount} does not equal the sum of its items ({total})</extracomment>
            <translation>le versement {payout} de {amount} n'est pas égal à la somme de ses éléments ({total})</translation>
        </message>
        <message>
            <source>payouts.manual</source>
            <extracomment>payout {payout} settles payments recorded before clearing was switched on ({ids}); record it in QuickBooks by hand</extracomment>
            <translation>le versement {payout} règle des paiements enregistrés avant l'activation du compte d'attente ({ids}) ; enregistrez-le à la main dans QuickBooks</translation>
        </message>
        <message>
            <source>payouts.manual_fix</source>
            <extracomment>In QuickBooks, record a transfer of {amount} from Undeposited Funds and the clearing account to your bank, dated {date}.</extracomment>
            <translation>Dans QuickBooks, enregistrez un virement de {amount} depuis les fonds non déposés et le compte d'attente vers votre banque, daté du {date}.</translation>
        </message>
        <message>
            <source>payouts.no_adjustment</source>
            <extracomment>payout {payout} has an adjustment ({what}) and no account is chosen for {provider} adjustments</extracomment>
            <translation>le versement {payout} contient un ajustement ({what}) et aucun compte n'est choisi pour les ajustements {provider}</translation>
        </message>
        <message>
            <source>payouts.no_adjustment_fix</source>
            <extracomment>Choose the account for disputes and reserves: run `crocoqb map set adjustment {provider} &lt;Account Id&gt;` (an expense or income account), then press Sync now.</extracomment>
            <translation>Choisissez le compte des litiges et réserves : lancez `crocoqb map set adjustment {provider} &lt;Account Id&gt;` (un compte de dépenses ou de revenus), puis appuyez sur Synchroniser maintenant.</translation>
        </message>
        <message>
            <source>payouts.no_bank</source>
            <extracomment>payout {payout} cannot be recorded: no bank account is chosen for {provider} payouts</extracomment>
            <translation>le versement {payout} ne peut pas être enregistré : aucun compte bancaire n'est choisi pour les versements {provider}</translation>
        </message>
        <message>
            <source>payouts.no_bank_fix</source>
            <extracomment>Choose the bank account {provider} pays into: on the Payouts tab of the window, or run `crocoqb map set payout {provider} &lt;Account Id&gt;`, then press Sync now.</extracomment>
            <translation>Choisissez le compte bancaire sur lequel {provider} verse : dans l'onglet Versements de la fenêtre, ou lancez `crocoqb map set payout {provider} &lt;Account Id&gt;`, puis appuyez sur Synchroniser maintenant.</translation>
        </message>
        <message>
            <source>payouts.no_fee_returned</source>
            <extracomment>refund {refund} gives back no fee</extracomment>
            <translation>le remboursement {refund} ne rend aucun frais</translation>
        </message>
        <message>
            <source>payouts.no_fee_returned_fix</source>
            <extracomment>Nothing to record in QuickBooks for this refund's fee.</extracomment>
            <translation>Rien à enregistrer dans QuickBooks pour les frais de ce remboursement.</translation>
        </message>
        <message>
            <source>payouts.no_items</source>
            <extracomment>no payment of this payout is in QuickBooks yet</extracomment>
            <translation>aucun paiement de ce versement n'est encore dans QuickBooks</translation>
        </message>
        <message>
            <source>payouts.not_connected</source>
            <extracomment>not connected to QuickBooks</extracomment>
            <translation>pas de connexion à QuickBooks</translation>
        </message>
        <message>
            <source>payouts.retry</source>
            <extracomment>{what} was not written to QuickBooks yet: {reason} (will retry)</extracomment>
            <translation>{what} n'est pas encore écrit dans QuickBooks : {reason} (nouvel essai prévu)</translation>
        </message>
        <message>
            <source>payouts.reversed</source>
            <extracomment>Payout {payout} failed at the bank: its transfer was reversed in QuickBooks and its payments wait for the next payout</extracomment>
            <translation>Le versement {payout} a été refusé par la banque : son virement a été annulé dans QuickBooks et ses paiements attendent le prochain versement</translation>
        </message>
        <message>
            <source>payouts.state.booked</source>
            <extracomment>booked</extracomment>
            <translation>enregistré</translation>
        </message>
        <message>
            <source>payouts.state.failed</source>
            <extracomment>failed at the bank (nothing booked)</extracomment>
            <translation>refusé par la banque (rien d'enregistré)</translation>
        </message>
        <message>
            <source>payouts.state.manual</source>
            <extracomment>to record by hand</extracomment>
            <translation>à enregistrer à la main</translation>
        </message>
        <message>
            <source>payouts.state.not_clearing</source>
            <extracomment>not through clearing</extracomment>
            <translation>hors compte d'attente</translation>
        </message>
        <message>
            <source>payouts.state.reversed</source>
            <extracomment>failed at the bank (transfer reversed)</extracomment>
            <translation>refusé par la banque (virement annulé)</translation>
        </message>
        <message>
            <source>payouts.state.reversing</source>
            <extracomment>failed at the bank (reversal pending)</extracomment>
            <translation>refusé par la banque (annulation en cours)</translation>
        </message>
        <message>
            <source>payouts.state.waiting</source>
            <extracomment>pending</extracomment>
            <translation>en attente</translation>
        </message>
        <message>
            <source>payouts.waiting_items</source>
            <extracomment>waiting for what is not in QuickBooks yet: {ids}</extracomment>
            <translation>en attente de ce qui n'est pas encore dans QuickBooks : {ids}</translation>
        </message>
        <message>
            <source>problem.cleared</source>
            <extracomment>{label}: the problem is solved and it is synced</extracomment>
            <translation>{label} : le problème est résolu et l'enregistrement est synchronisé</translation>
        </message>
        <message>
            <source>problem.customer_ambiguous</source>
            <extracomment>the QuickBooks customer {customer} of the contact {contact} was merged or made inactive, and {count} active customers have the email {email}: {customers}</extracomment>
            <translation>le client QuickBooks {customer} du contact {contact} a été fusionné ou rendu inactif, et {count} clients actifs ont l'adresse {email} : {customers}</translation>
        </message>
        <message>
            <source>problem.customer_ambiguous.fix</source>
            <extracomment>Choose which QuickBooks customer to use for this contact (Relink), or merge the duplicates in QuickBooks; it is then sent by itself.</extracomment>
            <translation>Choisissez le client QuickBooks à utiliser pour ce contact (Relier), ou fusionnez les doublons dans QuickBooks ; il est alors envoyé tout seul.</translation>
        </message>
        <message>
            <source>problem.customer_inactive</source>
            <extracomment>the QuickBooks customer {customer} of the contact {contact} was merged or made inactive in QuickBooks, and no active customer has the email {email}</extracomment>
            <translation>le client QuickBooks {customer} du contact {contact} a été fusionné ou rendu inactif dans QuickBooks, et aucun client actif n'a le courriel {email}</translation>
        </message>
        <message>
            <source>problem.customer_inactive.fix</source>
            <extracomment>Choose the QuickBooks customer to use for this contact (Relink), or let CrocoQB create a new one (Resend).</extracomment>
            <translation>Choisissez le client QuickBooks à utiliser pour ce contact (Relier), ou laissez CrocoQB en créer un nouveau (Renvoyer).</translation>
        </message>
        <message>
            <source>problem.customer_relinked</source>
            <extracomment>The QuickBooks customer {old} was merged or made inactive; the contact {contact} is now linked to the active customer {new}, which has the same email</extracomment>
            <translation>Le client QuickBooks {old} a été fusionné ou rendu inactif ; le contact {contact} est maintenant lié au client actif {new}, qui a le même courriel</translation>
        </message>
        <message>
            <source>problem.deleted_in_qbo.cdc</source>
            <extracomment>{label} was deleted in QuickBooks but is still in CrocoClick</extracomment>
            <translation>{label} a été supprimé dans QuickBooks mais existe toujours dans CrocoClick</translation>
        </message>
        <message>
            <source>problem.deleted_in_qbo.fix</source>
            <extracomment>Resend to create it again in QuickBooks, or Skip to leave it out of the books.</extracomment>
            <translation>Renvoyez-le pour le recréer dans QuickBooks, ou Ignorez-le pour le laisser hors de la comptabilité.</translation>
        </message>
        <message>
            <source>problem.item_inactive</source>
            <extracomment>the item '{item}' is inactive in QuickBooks</extracomment>
            <translation>l'article « {item} » est inactif dans QuickBooks</translation>
        </message>
        <message>
            <source>problem.item_inactive.fix</source>
            <extracomment>Make the item '{item}' active again in QuickBooks (Sales &gt; Products and services), or use another product on this line in CrocoClick; it is then sent by itself.</extracomment>
            <translation>Réactivez l'article « {item} » dans QuickBooks (Ventes &gt; Produits et services), ou utilisez un autre produit sur cette ligne dans CrocoClick ; il est alors envoyé de lui-même.</translation>
        </message>
        <message>
            <source>problem.paid_in_qbo</source>
            <extracomment>invoice {number} is already paid in QuickBooks (open balance {balance}), so payment {payment} of {amount} would overpay it</extracomment>
            <translation>la facture {number} est déjà payée dans QuickBooks (solde ouvert {balance}) ; le paiement {payment} de {amount} la paierait donc en trop</translation>
        </message>
        <message>
            <source>problem.paid_in_qbo.fix</source>
            <extracomment>Check the payments recorded on this invoice in QuickBooks. Resend records only what is still open; Skip leaves this payment out.</extracomment>
            <translation>Vérifiez les paiements enregistrés sur cette facture dans QuickBooks. Renvoyer n'enregistre que ce qui reste dû ; Ignorer laisse ce paiement de côté.</translation>
        </message>
        <message>
            <source>problem.paid_invoice_deleted</source>
            <extracomment>invoice {number} it pays was deleted in QuickBooks</extracomment>
            <translation>la facture {number} qu'il règle a été supprimée dans QuickBooks</translation>
        </message>
        <message>
            <source>problem.paid_invoice_deleted.fix</source>
            <extracomment>Resend the invoice first (Needs attention), then Retry this payment; or Skip it.</extracomment>
            <translation>Renvoyez d'abord la facture (À traiter), puis réessayez ce paiement ; ou ignorez-le.</translation>
        </message>
        <message>
            <source>problem.payment_deleted_in_qbo</source>
            <extracomment>payment {label} was deleted in QuickBooks</extracomment>
            <translation>le paiement {label} a été supprimé dans QuickBooks</translation>
        </message>
        <message>
            <source>problem.payment_linked_manual</source>
            <extracomment>Payment {payment} of invoice {number} was already recorded by hand in QuickBooks: linked to that payment, none created</extracomment>
            <translation>Le paiement {payment} de la facture {number} avait déjà été saisi à la main dans QuickBooks : il est lié à ce paiement, aucun n'a été créé</translation>
        </message>
        <message>
            <source>problem.payment_removed</source>
            <extracomment>Payment {label} was removed from QuickBooks by a user: it needs your choice</extracomment>
            <translation>Le paiement {label} a été retiré de QuickBooks par un utilisateur : il attend votre choix</translation>
        </message>
        <message>
            <source>problem.payment_removed.fix</source>
            <extracomment>Resend to record it again in QuickBooks, or Skip to leave it out of the books.</extracomment>
            <translation>Renvoyez-le pour l'enregistrer de nouveau dans QuickBooks, ou Ignorez-le pour le laisser hors de la comptabilité.</translation>
        </message>
        <message>
            <source>problem.payment_voided_in_qbo</source>
            <extracomment>payment {label} was voided in QuickBooks</extracomment>
            <translation>le paiement {label} a été annulé dans QuickBooks</translation>
        </message>
        <message>
            <source>problem.payout_cleared</source>
            <extracomment>Payout {label}: the problem is solved and it is recorded</extracomment>
            <translation>Versement {label} : le problème est résolu et il est enregistré</translation>
        </message>
        <message>
            <source>problem.retry_after_mapping</source>
            <extracomment>{count} records waiting on a {kind} mapping will be tried again</extracomment>
            <translation>{count} enregistrements qui attendaient une correspondance {kind} vont être réessayés</translation>
        </message>
        <message>
            <source>problem.voided_in_qbo</source>
            <extracomment>{label} was voided in QuickBooks but is still open in CrocoClick</extracomment>
            <translation>{label} a été annulé dans QuickBooks mais est toujours ouvert dans CrocoClick</translation>
        </message>
        <message>
            <source>problem.voided_in_qbo.fix</source>
            <extracomment>Void it in CrocoClick too (it then clears), Resend to create it again in QuickBooks, or Skip.</extracomment>
            <translation>Annulez-le aussi dans CrocoClick (le problème disparaît alors), Renvoyez-le pour le recréer dans QuickBooks, ou Ignorez-le.</translation>
        </message>
        <message>
            <source>profile.bad_name</source>
            <extracomment>'{name}' cannot be a profile name.</extracomment>
            <translation>« {name} » ne peut pas être un nom de profil.</translation>
        </message>
        <message>
            <source>profile.bad_name_fix</source>
            <extracomment>Use 1 to 40 lower-case letters, digits, '-' or '_', starting with a letter or digit (for example: boutique-paris).</extracomment>
            <translation>Utilisez de 1 à 40 lettres minuscules, chiffres, « - » ou « _ », en commençant par une lettre ou un chiffre (par exemple : boutique-paris).</translation>
        </message>
        <message>
            <source>profile.busy</source>
            <extracomment>The profile '{name}' is syncing right now.</extracomment>
            <translation>Le profil « {name} » est en cours de synchronisation.</translation>
        </message>
        <message>
            <source>profile.busy_fix</source>
            <extracomment>Wait for the sync to finish (or quit the CrocoQB app that runs it), then remove the profile again.</extracomment>
            <translation>Attendez la fin de la synchronisation (ou quittez l'app CrocoQB qui la fait), puis supprimez de nouveau le profil.</translation>
        </message>
        <message>
            <source>profile.exists</source>
            <extracomment>The profile '{name}' already exists.</extracomment>
            <translation>Le profil « {name} » existe déjà.</translation>
        </message>
        <message>
            <source>profile.exists_fix</source>
            <extracomment>Choose another name.</extracomment>
            <translation>Choisissez un autre nom.</translation>
        </message>
        <message>
            <source>profile.in_use</source>
            <extracomment>The profile '{name}' is in use by {owner} (process {pid}).</extracomment>
            <translation>Le profil « {name} » est utilisé par {owner} (processus {pid}).</translation>
        </message>
        <message>
            <source>profile.in_use_fix</source>
            <extracomment>Quit the CrocoQB window (tray menu &gt; Quit) or stop `crocoqb run` (Ctrl-C), then remove the profile again.</extracomment>
            <translation>Quittez la fenêtre CrocoQB (menu de la barre d'état &gt; Quitter) ou arrêtez `crocoqb run` (Ctrl-C), puis supprimez de nouveau le profil.</translation>
        </message>
        <message>
            <source>profile.migration_busy</source>
            <extracomment>Another CrocoQB is moving the data folder into profiles.</extracomment>
            <translation>Un autre CrocoQB est en train de déplacer le dossier de données dans les profils.</translation>
        </message>
        <message>
            <source>profile.remove_confirm_fix</source>
            <extracomment>Type the profile's name when asked, or add --yes to remove it without asking.</extracomment>
            <translation>Tapez le nom du profil quand il est demandé, ou ajoutez --yes pour le supprimer sans confirmation.</translation>
        </message>
        <message>
            <source>profile.remove_unconfirmed</source>
            <extracomment>The profile '{name}' was not removed.</extracomment>
            <translation>Le profil « {name} » n'a pas été supprimé.</translation>
        </message>
        <message>
            <source>profile.retry_fix</source>
            <extracomment>Try again in a minute.</extracomment>
            <translation>Réessayez dans une minute.</translation>
        </message>
        <message>
            <source>profile.sync_crashed</source>
            <extracomment>The sync of profile {name} stopped unexpectedly ({error}).</extracomment>
            <translation>La synchronisation du profil {name} s'est arrêtée de façon inattendue ({error}).</translation>
        </message>
        <message>
            <source>profile.unknown</source>
            <extracomment>There is no profile '{name}' in this data folder.</extracomment>
            <translation>Il n'y a pas de profil « {name} » dans ce dossier de données.</translation>
        </message>
        <message>
            <source>profile.unknown_fix</source>
            <extracomment>Run `crocoqb profile list` to see the profiles, or `crocoqb profile add {name}` to create it.</extracomment>
            <translation>Lancez `crocoqb profile list` pour voir les profils, ou `crocoqb profile add {name}` pour le créer.</translation>
        </message>
        <message>
            <source>pull.cdc_too_old</source>
            <extracomment>QuickBooks changes older than 30 days cannot be read; re-reading all customers instead</extracomment>
            <translation>Les modifications QuickBooks de plus de 30 jours ne peuvent pas être lues ; relecture de tous les clients à la place</translation>
        </message>
        <message>
            <source>pull.cdc_too_old.fix</source>
            <extracomment>Nothing to do: CrocoQB re-reads every QuickBooks customer once; nothing is imported twice.</extracomment>
            <translation>Rien à faire : CrocoQB relit une fois chaque client QuickBooks ; rien n'est importé deux fois.</translation>
        </message>
        <message>
            <source>pull.clock_future</source>
            <extracomment>The last QuickBooks check time ({time}) is in the future (the computer's clock changed); re-reading the last 29 days of changes</extracomment>
            <translation>La dernière vérification QuickBooks ({time}) est dans le futur (l'horloge de l'ordinateur a changé) ; relecture des modifications des 29 derniers jours</translation>
        </message>
        <message>
            <source>pull.clock_future.fix</source>
            <extracomment>Nothing to do: nothing is imported twice. Keep the computer's date and time set automatically.</extracomment>
            <translation>Rien à faire : rien n'est importé deux fois. Laissez l'ordinateur régler sa date et son heure automatiquement.</translation>
        </message>
        <message>
            <source>pull.contact_updated</source>
            <extracomment>Updated contact {contact} from QuickBooks ({fields})</extracomment>
            <translation>Contact {contact} mis à jour depuis QuickBooks ({fields})</translation>
        </message>
        <message>
            <source>pull.customer_imported</source>
            <extracomment>Imported QuickBooks customer {customer} as a new CrocoClick contact</extracomment>
            <translation>Client QuickBooks {customer} importé comme nouveau contact CrocoClick</translation>
        </message>
        <message>
            <source>pull.customer_inactive</source>
            <extracomment>its customer is inactive in QuickBooks</extracomment>
            <translation>son client est inactif dans QuickBooks</translation>
        </message>
        <message>
            <source>pull.customer_inactive.fix</source>
            <extracomment>Reactivate the customer in QuickBooks to import this invoice.</extracomment>
            <translation>Réactivez le client dans QuickBooks pour importer cette facture.</translation>
        </message>
        <message>
            <source>pull.customer_linked</source>
            <extracomment>Linked QuickBooks customer {customer} to the existing contact {contact} (same email)</extracomment>
            <translation>Client QuickBooks {customer} lié au contact existant {contact} (même courriel)</translation>
        </message>
        <message>
            <source>pull.customer_unlinked</source>
            <extracomment>QuickBooks customer {customer} was deleted or made inactive: unlinked (the CrocoClick contact is kept)</extracomment>
            <translation>Le client QuickBooks {customer} a été supprimé ou rendu inactif : lien retiré (le contact CrocoClick est conservé)</translation>
        </message>
        <message>
            <source>pull.customers_imported</source>
            <extracomment>Initial import of QuickBooks customers finished ({total} customers)</extracomment>
            <translation>Importation initiale des clients QuickBooks terminée ({total} clients)</translation>
        </message>
        <message>
            <source>pull.invoice_imported</source>
            <extracomment>Imported QuickBooks invoice {number} (total {total}, paid {paid})</extracomment>
            <translation>Facture QuickBooks {number} importée (total {total}, payé {paid})</translation>
        </message>
        <message>
            <source>pull.invoices_imported</source>
            <extracomment>Imported {imported} past QuickBooks invoices into CrocoClick</extracomment>
            <translation>{imported} factures QuickBooks antérieures importées dans CrocoClick</translation>
        </message>
        <message>
            <source>pull.no_email_phone</source>
            <extracomment>it has neither an email nor a phone number, which CrocoClick needs for a contact</extracomment>
            <translation>il n'a ni courriel ni numéro de téléphone, et CrocoClick en a besoin pour un contact</translation>
        </message>
        <message>
            <source>pull.no_email_phone.fix</source>
            <extracomment>Add an email address to this customer in QuickBooks; it is imported at the next sync.</extracomment>
            <translation>Ajoutez une adresse courriel à ce client dans QuickBooks ; il est importé à la prochaine synchronisation.</translation>
        </message>
        <message>
            <source>pull.not_imported</source>
            <extracomment>{label} was not imported into CrocoClick: {reason}</extracomment>
            <translation>Importation dans CrocoClick impossible ({label}) : {reason}</translation>
        </message>
        <message>
            <source>pull.review_asked</source>
            <extracomment>Asked {contact} for a review: their first invoice ({number}) is fully paid</extracomment>
            <translation>Avis demandé à {contact} : sa première facture ({number}) est entièrement payée</translation>
        </message>
        <message>
            <source>pull.review_not_sent</source>
            <extracomment>No review request sent to contact {contact}: {reason}</extracomment>
            <translation>Aucune demande d'avis envoyée au contact {contact} : {reason}</translation>
        </message>
        <message>
            <source>pull.review_not_sent.fix</source>
            <extracomment>The contact cannot be reached on this channel (do-not-disturb or no address). Change the review channel in the settings, or the contact in CrocoClick.</extracomment>
            <translation>Le contact ne peut pas être joint par ce canal (ne pas déranger ou pas d'adresse). Changez le canal des avis dans les paramètres, ou le contact dans CrocoClick.</translation>
        </message>
        <message>
            <source>pull.same_email</source>
            <extracomment>QuickBooks customer {customer} has the same email as an already linked customer; not imported twice</extracomment>
            <translation>Le client QuickBooks {customer} a le même courriel qu'un client déjà lié ; il n'est pas importé deux fois</translation>
        </message>
        <message>
            <source>pull.same_email.fix</source>
            <extracomment>Merge the duplicate customers in QuickBooks if they are the same person.</extracomment>
            <translation>Fusionnez les clients en double dans QuickBooks s'il s'agit de la même personne.</translation>
        </message>
        <message>
            <source>push.contact_no_email</source>
            <extracomment>the contact {name} has no email address, so it cannot be matched to a QuickBooks customer without risking a duplicate</extracomment>
            <translation>le contact {name} n'a pas d'adresse courriel ; il ne peut donc pas être associé à un client QuickBooks sans risquer un doublon</translation>
        </message>
        <message>
            <source>push.contact_no_email.fix</source>
            <extracomment>Add an email address to this contact in CrocoClick, then press Sync now.</extracomment>
            <translation>Ajoutez une adresse courriel à ce contact dans CrocoClick, puis appuyez sur Synchroniser maintenant.</translation>
        </message>
        <message>
            <source>push.customer_created</source>
            <extracomment>Created the QuickBooks customer {name}</extracomment>
            <translation>Client QuickBooks {name} créé</translation>
        </message>
        <message>
            <source>push.customer_created.renamed</source>
            <extracomment>Created the QuickBooks customer {name} (the name '{wanted}' is already used by another customer, vendor or employee in QuickBooks, so it was created as '{name}')</extracomment>
            <translation>Client QuickBooks {name} créé (le nom « {wanted} » est déjà utilisé par un autre client, fournisseur ou employé dans QuickBooks ; il a donc été créé sous le nom « {name} »)</translation>
        </message>
        <message>
            <source>push.customer_matched</source>
            <extracomment>Matched contact {contact} to the QuickBooks customer {customer} by email</extracomment>
            <translation>Contact {contact} associé au client QuickBooks {customer} par courriel</translation>
        </message>
        <message>
            <source>push.customer_updated</source>
            <extracomment>Updated the QuickBooks customer {customer}</extracomment>
            <translation>Client QuickBooks {customer} mis à jour</translation>
        </message>
        <message>
            <source>push.customer_updated_from_contact</source>
            <extracomment>Updated the QuickBooks customer {customer} from the CrocoClick contact</extracomment>
            <translation>Client QuickBooks {customer} mis à jour depuis le contact CrocoClick</translation>
        </message>
        <message>
            <source>push.feed_expired</source>
            <extracomment>The CrocoClick change feed expired; running a full resync</extracomment>
            <translation>Le flux de modifications de CrocoClick a expiré ; resynchronisation complète en cours</translation>
        </message>
        <message>
            <source>push.feed_expired.fix</source>
            <extracomment>Nothing to do: CrocoQB re-reads invoices and payments changed since activation.</extracomment>
            <translation>Rien à faire : CrocoQB relit les factures et les paiements modifiés depuis l'activation.</translation>
        </message>
        <message>
            <source>push.invoice_created</source>
            <extracomment>Created invoice {number} in QuickBooks (total {total})</extracomment>
            <translation>Facture {number} créée dans QuickBooks (total {total})</translation>
        </message>
        <message>
            <source>push.invoice_missing</source>
            <extracomment>the invoice {invoice} it pays is not in QuickBooks (it was sent before the integration was activated, or it failed to sync)</extracomment>
            <translation>la facture {invoice} qu'il règle n'est pas dans QuickBooks (elle a été envoyée avant l'activation de l'intégration, ou sa synchronisation a échoué)</translation>
        </message>
        <message>
            <source>push.invoice_missing.fix</source>
            <extracomment>Create that invoice in QuickBooks and record the payment there, or fix the invoice's error in the log and press Sync now.</extracomment>
            <translation>Créez cette facture dans QuickBooks et enregistrez-y le paiement, ou corrigez l'erreur de la facture indiquée dans le journal et appuyez sur Synchroniser maintenant.</translation>
        </message>
        <message>
            <source>push.invoice_payment</source>
            <extracomment>Recorded payment {id} against invoice {number} in QuickBooks</extracomment>
            <translation>Paiement {id} enregistré sur la facture {number} dans QuickBooks</translation>
        </message>
        <message>
            <source>push.invoice_pending</source>
            <extracomment>its invoice is not in QuickBooks yet</extracomment>
            <translation>sa facture n'est pas encore dans QuickBooks</translation>
        </message>
        <message>
            <source>push.invoice_updated</source>
            <extracomment>Updated invoice {number} in QuickBooks (total {total})</extracomment>
            <translation>Facture {number} mise à jour dans QuickBooks (total {total})</translation>
        </message>
        <message>
            <source>push.invoice_voided</source>
            <extracomment>Voided invoice {number} in QuickBooks</extracomment>
            <translation>Facture {number} annulée dans QuickBooks</translation>
        </message>
        <message>
            <source>push.no_free_name</source>
            <extracomment>no free customer name was found for {contact} in QuickBooks</extracomment>
            <translation>aucun nom de client libre n'a été trouvé pour {contact} dans QuickBooks</translation>
        </message>
        <message>
            <source>push.no_free_name.fix</source>
            <extracomment>Rename the contact in CrocoClick or the clashing customer, vendor or employee in QuickBooks.</extracomment>
            <translation>Renommez le contact dans CrocoClick, ou le client, fournisseur ou employé homonyme dans QuickBooks.</translation>
        </message>
        <message>
            <source>push.not_sent</source>
            <extracomment>{label} was not sent to QuickBooks: {reason}</extracomment>
            <translation>Échec de l'envoi à QuickBooks ({label}) : {reason}</translation>
        </message>
        <message>
            <source>push.not_sent.retry</source>
            <extracomment>{label} was not sent to QuickBooks: {reason} (will retry)</extracomment>
            <translation>Échec de l'envoi à QuickBooks ({label}) : {reason} (nouvel essai prévu)</translation>
        </message>
        <message>
            <source>push.refund</source>
            <extracomment>Recorded refund {refund} of payment {payment} as a refund receipt in QuickBooks</extracomment>
            <translation>Remboursement {refund} du paiement {payment} enregistré comme reçu de remboursement dans QuickBooks</translation>
        </message>
        <message>
            <source>push.sales_receipt</source>
            <extracomment>Recorded {label} as a sales receipt in QuickBooks</extracomment>
            <translation>Reçu de vente enregistré dans QuickBooks pour {label}</translation>
        </message>
        <message>
            <source>push.total_differs</source>
            <extracomment>{label}: QuickBooks total {actual} differs from CrocoClick's {expected}</extracomment>
            <translation>{label} : le total QuickBooks {actual} diffère de celui de CrocoClick, {expected}</translation>
        </message>
        <message>
            <source>push.total_differs.fix</source>
            <extracomment>Check the tax codes and rounding settings in QuickBooks for this document.</extracomment>
            <translation>Vérifiez les codes de taxe et les paramètres d'arrondi dans QuickBooks pour ce document.</translation>
        </message>
        <message>
            <source>push.unknown_operation</source>
            <extracomment>unknown operation {kind}/{action}</extracomment>
            <translation>opération inconnue {kind}/{action}</translation>
        </message>
        <message>
            <source>push.void_already_deleted</source>
            <extracomment>Invoice {number} was voided in CrocoClick and is already deleted in QuickBooks</extracomment>
            <translation>La facture {number} a été annulée dans CrocoClick et est déjà supprimée dans QuickBooks</translation>
        </message>
        <message>
            <source>qbo.answer_missing_entity</source>
            <extracomment>QuickBooks' answer has no {entity}</extracomment>
            <translation>la réponse de QuickBooks ne contient pas de {entity}</translation>
        </message>
        <message>
            <source>qbo.authentication</source>
            <extracomment>QuickBooks did not accept the access token (HTTP {status}, error {error})</extracomment>
            <translation>QuickBooks n'a pas accepté le jeton d'accès (HTTP {status}, erreur {error})</translation>
        </message>
        <message>
            <source>qbo.authentication.fix</source>
            <extracomment>CrocoQB renews the sign-in automatically; if this repeats, press Reconnect.</extracomment>
            <translation>CrocoQB renouvelle la connexion automatiquement ; si cela se répète, appuyez sur Reconnecter.</translation>
        </message>
        <message>
            <source>qbo.authentication.title</source>
            <extracomment>QuickBooks did not accept the sign-in</extracomment>
            <translation>QuickBooks n'a pas accepté la connexion</translation>
        </message>
        <message>
            <source>qbo.authorization</source>
            <extracomment>QuickBooks refused access to this company (HTTP {status}, error {error})</extracomment>
            <translation>QuickBooks a refusé l'accès à cette entreprise (HTTP {status}, erreur {error})</translation>
        </message>
        <message>
            <source>qbo.authorization.fix</source>
            <extracomment>Sign in to QuickBooks as an administrator of this company and press Reconnect; check that the company's subscription is active.</extracomment>
            <translation>Connectez-vous à QuickBooks en tant qu'administrateur de cette entreprise et appuyez sur Reconnecter ; vérifiez que l'abonnement de l'entreprise est actif.</translation>
        </message>
        <message>
            <source>qbo.authorization.title</source>
            <extracomment>QuickBooks refused access to this company</extracomment>
            <translation>QuickBooks a refusé l'accès à cette entreprise</translation>
        </message>
        <message>
            <source>qbo.batch_no_items</source>
            <extracomment>QuickBooks' batch answer has no BatchItemResponse</extracomment>
            <translation>la réponse groupée de QuickBooks ne contient pas de BatchItemResponse</translation>
        </message>
        <message>
            <source>qbo.count_no_total</source>
            <extracomment>QuickBooks' count answer has no totalCount</extracomment>
            <translation>la réponse de comptage de QuickBooks ne contient pas de totalCount</translation>
        </message>
        <message>
            <source>qbo.duplicate_name</source>
            <extracomment>The name is already used by another customer, vendor or employee in QuickBooks</extracomment>
            <translation>Le nom est déjà utilisé par un autre client, fournisseur ou employé dans QuickBooks</translation>
        </message>
        <message>
            <source>qbo.duplicate_name.detail</source>
            <extracomment>The name is already used by another customer, vendor or employee in QuickBooks ({qbo_text})</extracomment>
            <translation>Le nom est déjà utilisé par un autre client, fournisseur ou employé dans QuickBooks ({qbo_text})</translation>
        </message>
        <message>
            <source>qbo.duplicate_name.fix</source>
            <extracomment>In QuickBooks, names must be unique across customers, vendors and employees (inactive ones too). Rename or merge the existing one, or let CrocoQB pick a unique name.</extracomment>
            <translation>Dans QuickBooks, les noms doivent être uniques parmi les clients, fournisseurs et employés (inactifs compris). Renommez ou fusionnez l'existant, ou laissez CrocoQB choisir un nom unique.</translation>
        </message>
        <message>
            <source>qbo.duplicate_name.title</source>
            <extracomment>A customer, vendor or employee already uses this name</extracomment>
            <translation>Un client, fournisseur ou employé utilise déjà ce nom</translation>
        </message>
        <message>
            <source>qbo.error</source>
            <extracomment>QuickBooks error {error}: {qbo_text}</extracomment>
            <translation>Erreur QuickBooks {error} : {qbo_text}</translation>
        </message>
        <message>
            <source>qbo.error.field</source>
            <extracomment>QuickBooks error {error} (field {element}): {qbo_text}</extracomment>
            <translation>Erreur QuickBooks {error} (champ {element}) : {qbo_text}</translation>
        </message>
        <message>
            <source>qbo.fault.title</source>
            <extracomment>QuickBooks refused the request</extracomment>
            <translation>QuickBooks a refusé la requête</translation>
        </message>
        <message>
            <source>qbo.grant_lost</source>
            <extracomment>QuickBooks no longer accepts CrocoQB's authorization (it was revoked, expired or replaced)</extracomment>
            <translation>QuickBooks n'accepte plus l'autorisation de CrocoQB (elle a été révoquée, a expiré ou a été remplacée)</translation>
        </message>
        <message>
            <source>qbo.grant_lost.detail</source>
            <extracomment>QuickBooks no longer accepts CrocoQB's authorization (it was revoked, expired or replaced): {detail}</extracomment>
            <translation>QuickBooks n'accepte plus l'autorisation de CrocoQB (elle a été révoquée, a expiré ou a été remplacée) : {detail}</translation>
        </message>
        <message>
            <source>qbo.http_status</source>
            <extracomment>QuickBooks answered HTTP {status}</extracomment>
            <translation>QuickBooks a répondu HTTP {status}</translation>
        </message>
        <message>
            <source>qbo.no_authorization</source>
            <extracomment>CrocoQB has no QuickBooks authorization on this computer</extracomment>
            <translation>CrocoQB n'a pas d'autorisation QuickBooks sur cet ordinateur</translation>
        </message>
        <message>
            <source>qbo.no_authorization.fix</source>
            <extracomment>Press Connect (or run `crocoqb connect`) and sign in to QuickBooks.</extracomment>
            <translation>Appuyez sur Connecter (ou lancez `crocoqb connect`) et connectez-vous à QuickBooks.</translation>
        </message>
        <message>
            <source>qbo.no_authorization.title</source>
            <extracomment>QuickBooks is not connected</extracomment>
            <translation>QuickBooks n'est pas connecté</translation>
        </message>
        <message>
            <source>qbo.no_realm</source>
            <extracomment>QuickBooks did not say which company was connected (no realmId)</extracomment>
            <translation>QuickBooks n'a pas indiqué quelle entreprise a été connectée (pas de realmId)</translation>
        </message>
        <message>
            <source>qbo.not_json</source>
            <extracomment>QuickBooks answered with something that is not JSON</extracomment>
            <translation>QuickBooks a répondu quelque chose qui n'est pas du JSON</translation>
        </message>
        <message>
            <source>qbo.object_not_found</source>
            <extracomment>QuickBooks could not find an object this request uses</extracomment>
            <translation>QuickBooks n'a pas trouvé un objet utilisé par cette requête</translation>
        </message>
        <message>
            <source>qbo.object_not_found.detail</source>
            <extracomment>QuickBooks could not find an object this request uses: {qbo_text}</extracomment>
            <translation>QuickBooks n'a pas trouvé un objet utilisé par cette requête : {qbo_text}</translation>
        </message>
        <message>
            <source>qbo.object_not_found.fix</source>
            <extracomment>Check in QuickBooks that the customer, item, account or tax code it uses still exists and is active (make it active again or pick another), then retry.</extracomment>
            <translation>Vérifiez dans QuickBooks que le client, l'article, le compte ou le code de taxe utilisé existe toujours et est actif (réactivez-le ou choisissez-en un autre), puis réessayez.</translation>
        </message>
        <message>
            <source>qbo.object_not_found.title</source>
            <extracomment>Something this record uses is missing or inactive in QuickBooks</extracomment>
            <translation>Un élément utilisé par cet enregistrement manque ou est inactif dans QuickBooks</translation>
        </message>
        <message>
            <source>qbo.query_no_response</source>
            <extracomment>QuickBooks' answer to a query has no QueryResponse</extracomment>
            <translation>la réponse de QuickBooks à une requête ne contient pas de QueryResponse</translation>
        </message>
        <message>
            <source>qbo.request_failed</source>
            <extracomment>QuickBooks request failed ({name})</extracomment>
            <translation>la requête QuickBooks a échoué ({name})</translation>
        </message>
        <message>
            <source>qbo.server_problem</source>
            <extracomment>QuickBooks had a server problem (HTTP {status})</extracomment>
            <translation>QuickBooks a eu un problème de serveur (HTTP {status})</translation>
        </message>
        <message>
            <source>qbo.server_problem.fix</source>
            <extracomment>Nothing to do: QuickBooks had a temporary problem and CrocoQB tries again automatically. If it lasts for hours, check https://status.developer.intuit.com.</extracomment>
            <translation>Rien à faire : QuickBooks a eu un problème temporaire et CrocoQB réessaie automatiquement. Si cela dure des heures, consultez https://status.developer.intuit.com.</translation>
        </message>
        <message>
            <source>qbo.stale_object</source>
            <extracomment>Someone else changed this record in QuickBooks after CrocoQB read it</extracomment>
            <translation>Quelqu'un d'autre a modifié cet enregistrement dans QuickBooks après sa lecture par CrocoQB</translation>
        </message>
        <message>
            <source>qbo.stale_object.fix</source>
            <extracomment>CrocoQB reads the latest version and tries again; nothing to do unless this repeats.</extracomment>
            <translation>CrocoQB lit la dernière version et réessaie ; rien à faire, sauf si cela se répète.</translation>
        </message>
        <message>
            <source>qbo.stale_object.title</source>
            <extracomment>The record changed in QuickBooks meanwhile</extracomment>
            <translation>L'enregistrement a changé dans QuickBooks entre-temps</translation>
        </message>
        <message>
            <source>qbo.throttled</source>
            <extracomment>QuickBooks received too many requests from this company's apps and asked to wait</extracomment>
            <translation>QuickBooks a reçu trop de requêtes des applications de cette entreprise et a demandé d'attendre</translation>
        </message>
        <message>
            <source>qbo.throttled.fix</source>
            <extracomment>Nothing to do: CrocoQB waits and tries again. If other apps share this company, lower the request rate.</extracomment>
            <translation>Rien à faire : CrocoQB attend et réessaie. Si d'autres applications partagent cette entreprise, réduisez le rythme des requêtes.</translation>
        </message>
        <message>
            <source>qbo.throttled.title</source>
            <extracomment>QuickBooks asks CrocoQB to slow down</extracomment>
            <translation>QuickBooks demande à CrocoQB de ralentir</translation>
        </message>
        <message>
            <source>qbo.token.incomplete</source>
            <extracomment>the token endpoint's answer has no access or refresh token</extracomment>
            <translation>la réponse du service de jetons ne contient pas de jeton d'accès ou d'actualisation</translation>
        </message>
        <message>
            <source>qbo.token.not_token</source>
            <extracomment>the token endpoint answered something that is not a token response</extracomment>
            <translation>le service de jetons a répondu quelque chose qui n'est pas une réponse de jeton</translation>
        </message>
        <message>
            <source>qbo.unexpected_answer</source>
            <extracomment>unexpected answer from QuickBooks (HTTP {status})</extracomment>
            <translation>réponse inattendue de QuickBooks (HTTP {status})</translation>
        </message>
        <message>
            <source>qbo.unreachable</source>
            <extracomment>QuickBooks could not be reached ({name}, {attempt} attempts)</extracomment>
            <translation>QuickBooks est injoignable ({name}, {attempt} tentatives)</translation>
        </message>
        <message>
            <source>qbo.validation.fix</source>
            <extracomment>Read QuickBooks' reason below, correct the record or the settings it depends on, then retry.</extracomment>
            <translation>Lisez la raison donnée par QuickBooks ci-dessous, corrigez l'enregistrement ou les paramètres dont il dépend, puis réessayez.</translation>
        </message>
        <message>
            <source>qbo.validation.title</source>
            <extracomment>QuickBooks did not accept the record</extracomment>
            <translation>QuickBooks n'a pas accepté l'enregistrement</translation>
        </message>
        <message>
            <source>resolve.action_does_not_apply</source>
            <extracomment>{action} does not apply to this problem ({reason})</extracomment>
            <translation>{action} ne s'applique pas à ce problème ({reason})</translation>
        </message>
        <message>
            <source>resolve.action_does_not_apply.fix</source>
            <extracomment>Use one of: {actions}.</extracomment>
            <translation>Utilisez l'une de ces actions : {actions}.</translation>
        </message>
        <message>
            <source>resolve.already_solved</source>
            <extracomment>this record no longer needs you: it was solved meanwhile</extracomment>
            <translation>cet enregistrement n'a plus besoin de vous : il a été résolu entre-temps</translation>
        </message>
        <message>
            <source>resolve.ambiguous</source>
            <extracomment>the CrocoClick id {id} has several problems ({kinds})</extracomment>
            <translation>l'identifiant CrocoClick {id} a plusieurs problèmes ({kinds})</translation>
        </message>
        <message>
            <source>resolve.ambiguous.fix</source>
            <extracomment>Name the one you mean as kind:id, e.g. {example}.</extracomment>
            <translation>Désignez celui que vous voulez sous la forme `type:id`, par exemple {example}.</translation>
        </message>
        <message>
            <source>resolve.customer_currency</source>
            <extracomment>the QuickBooks customer {name} is in {has}, this record in {wanted}</extracomment>
            <translation>le client QuickBooks {name} est en {has}, cet enregistrement en {wanted}</translation>
        </message>
        <message>
            <source>resolve.customer_currency.fix</source>
            <extracomment>Pick a customer in {wanted}.</extracomment>
            <translation>Choisissez un client en {wanted}.</translation>
        </message>
        <message>
            <source>resolve.customer_inactive</source>
            <extracomment>the QuickBooks customer {name} is inactive</extracomment>
            <translation>le client QuickBooks {name} est inactif</translation>
        </message>
        <message>
            <source>resolve.no_contact</source>
            <extracomment>this record has no contact to link</extracomment>
            <translation>cet enregistrement n'a pas de contact à relier</translation>
        </message>
        <message>
            <source>resolve.no_such_customer</source>
            <extracomment>QuickBooks has no customer with the Id {id}</extracomment>
            <translation>QuickBooks n'a aucun client avec l'Id {id}</translation>
        </message>
        <message>
            <source>resolve.payout_skipped</source>
            <extracomment>left to be recorded by hand in QuickBooks by your choice</extracomment>
            <translation>laissé à enregistrer à la main dans QuickBooks, par votre choix</translation>
        </message>
        <message>
            <source>resolve.payout_skipped.log</source>
            <extracomment>{label} is left out: record it in QuickBooks by hand</extracomment>
            <translation>{label} est laissé de côté : enregistrez-le à la main dans QuickBooks</translation>
        </message>
        <message>
            <source>resolve.pick_customer.fix</source>
            <extracomment>Pick an active customer (the app searches them by name or email), or find its Id in QuickBooks.</extracomment>
            <translation>Choisissez un client actif (l'application les cherche par nom ou par courriel), ou trouvez son Id dans QuickBooks.</translation>
        </message>
        <message>
            <source>resolve.qbo_id_unused</source>
            <extracomment>--qbo-id applies to relink only</extracomment>
            <translation>--qbo-id ne sert qu'à relink</translation>
        </message>
        <message>
            <source>resolve.qbo_id_unused.fix</source>
            <extracomment>Leave --qbo-id out for {action}.</extracomment>
            <translation>Retirez --qbo-id pour {action}.</translation>
        </message>
        <message>
            <source>resolve.record_gone</source>
            <extracomment>the record of this problem is no longer known</extracomment>
            <translation>l'enregistrement de ce problème n'est plus connu</translation>
        </message>
        <message>
            <source>resolve.relink_needs_id</source>
            <extracomment>relink needs the QuickBooks customer to use</extracomment>
            <translation>relink a besoin du client QuickBooks à utiliser</translation>
        </message>
        <message>
            <source>resolve.relink_needs_id.fix</source>
            <extracomment>Add --qbo-id with the customer's Id.</extracomment>
            <translation>Ajoutez --qbo-id avec l'Id du client.</translation>
        </message>
        <message>
            <source>resolve.relinked</source>
            <extracomment>{label}: the contact is now linked to the QuickBooks customer {name}</extracomment>
            <translation>{label} : le contact est maintenant lié au client QuickBooks {name}</translation>
        </message>
        <message>
            <source>resolve.resend</source>
            <extracomment>{label} will be sent to QuickBooks again</extracomment>
            <translation>{label} sera renvoyé à QuickBooks</translation>
        </message>
        <message>
            <source>resolve.retry</source>
            <extracomment>{label} will be tried again now</extracomment>
            <translation>{label} sera réessayé maintenant</translation>
        </message>
        <message>
            <source>resolve.skipped</source>
            <extracomment>{label} is left out of QuickBooks by your choice; a later change in CrocoClick brings it back</extracomment>
            <translation>{label} est laissé hors de QuickBooks, à votre demande ; une modification ultérieure dans CrocoClick le fera revenir</translation>
        </message>
        <message>
            <source>resolve.unknown_id</source>
            <extracomment>there is no problem for the CrocoClick id {id}</extracomment>
            <translation>il n'y a aucun problème pour l'identifiant CrocoClick {id}</translation>
        </message>
        <message>
            <source>resolve.unknown_id.fix</source>
            <extracomment>Run `crocoqb problems` to see the records that need you.</extracomment>
            <translation>Lancez `crocoqb problems` pour voir les enregistrements qui ont besoin de vous.</translation>
        </message>
        <message>
            <source>run.no_profile</source>
            <extracomment>None of the profiles can sync: {reasons}</extracomment>
            <translation>Aucun profil ne peut se synchroniser : {reasons}</translation>
        </message>
        <message>
            <source>run.no_profile_fix</source>
            <extracomment>Set up a profile first (`crocoqb --profile NAME croco-login` and `connect`), then start `crocoqb run` again.</extracomment>
            <translation>Configurez d'abord un profil (`crocoqb --profile NOM croco-login` puis `connect`), puis relancez `crocoqb run`.</translation>
        </message>
        <message>
            <source>service.lock_run</source>
            <extracomment>the background service `crocoqb run` (process {pid}) is already syncing the data in {folder}</extracomment>
            <translation>le service en arrière-plan `crocoqb run` (processus {pid}) synchronise déjà les données de {folder}</translation>
        </message>
        <message>
            <source>service.lock_run_fix</source>
            <extracomment>Stop `crocoqb run` first (Ctrl-C or SIGTERM), or keep it and use this window only to look at the status and the log.</extracomment>
            <translation>Arrêtez d'abord `crocoqb run` (Ctrl-C ou SIGTERM), ou gardez-le et utilisez cette fenêtre seulement pour consulter l'état et le journal.</translation>
        </message>
        <message>
            <source>service.lock_window</source>
            <extracomment>the CrocoQB window (process {pid}) is already syncing the data in {folder}</extracomment>
            <translation>la fenêtre CrocoQB (processus {pid}) synchronise déjà les données de {folder}</translation>
        </message>
        <message>
            <source>service.lock_window_fix</source>
            <extracomment>Quit the CrocoQB window (tray menu &gt; Quit) before starting `crocoqb run`, or let the window do the syncing.</extracomment>
            <translation>Quittez la fenêtre CrocoQB (menu de la barre d'état &gt; Quitter) avant de lancer `crocoqb run`, ou laissez la fenêtre synchroniser.</translation>
        </message>
        <message>
            <source>settings.invalid_value</source>
            <extracomment>'{raw}' is not a valid value for {key}: {exc}</extracomment>
            <translation>« {raw} » n'est pas une valeur valide pour {key} : {exc}</translation>
        </message>
        <message>
            <source>settings.unknown</source>
            <extracomment>unknown setting '{key}'. Valid settings: {valid}</extracomment>
            <translation>paramètre inconnu « {key} ». Paramètres valides : {valid}</translation>
        </message>
        <message>
            <source>settings.unreadable</source>
            <extracomment>the settings file {path} cannot be read ({name})</extracomment>
            <translation>le fichier de paramètres {path} ne peut pas être lu ({name})</translation>
        </message>
        <message>
            <source>settings.unreadable.fix</source>
            <extracomment>Delete or fix that file; CrocoQB recreates it with the defaults.</extracomment>
            <translation>Supprimez ou corrigez ce fichier ; CrocoQB le recrée avec les valeurs par défaut.</translation>
        </message>
        <message>
            <source>store.busy</source>
            <extracomment>another program kept CrocoQB's data file {path} locked for {seconds} seconds</extracomment>
            <translation>un autre programme a gardé verrouillé le fichier de données de CrocoQB {path} pendant {seconds} secondes</translation>
        </message>
        <message>
            <source>store.state_file_busy.fix</source>
            <extracomment>Close the other program using it (another CrocoQB window or command, a backup or a database tool), then try again. Nothing was lost.</extracomment>
            <translation>Fermez l'autre programme qui l'utilise (une autre fenêtre ou commande CrocoQB, une sauvegarde ou un outil de base de données), puis réessayez. Rien n'a été perdu.</translation>
        </message>
        <message>
            <source>store.state_file_busy.title</source>
            <extracomment>CrocoQB's data file is in use</extracomment>
            <translation>Le fichier de données de CrocoQB est en cours d'utilisation</translation>
        </message>
        <message>
            <source>sync.busy.process</source>
            <extracomment>another CrocoQB process is syncing</extracomment>
            <translation>un autre processus CrocoQB synchronise</translation>
        </message>
        <message>
            <source>sync.busy.thread</source>
            <extracomment>another sync is running in this app</extracomment>
            <translation>une autre synchronisation est en cours dans cette application</translation>
        </message>
        <message>
            <source>sync.cannot_run</source>
            <extracomment>Sync cannot run: {reason}</extracomment>
            <translation>La synchronisation ne peut pas démarrer : {reason}</translation>
        </message>
        <message>
            <source>sync.finished</source>
            <extracomment>Sync finished: {created} created, {updated} updated, {failed} failed{reviews}{failed_note}</extracomment>
            <translation>Synchronisation terminée : {created} créés, {updated} mis à jour, {failed} en échec{reviews}{failed_note}</translation>
        </message>
        <message>
            <source>sync.finished.failed_note</source>
            <extracomment>. The log says what to fix for each one.</extracomment>
            <translation>. Le journal indique quoi corriger pour chacun.</translation>
        </message>
        <message>
            <source>sync.finished.problems_note</source>
            <extracomment>; {problems} need your attention (crocoqb problems)</extracomment>
            <translation> ; {problems} à traiter (crocoqb problems)</translation>
        </message>
        <message>
            <source>sync.finished.reviews</source>
            <extracomment>, {reviews} review requests</extracomment>
            <translation>, {reviews} demandes d'avis</translation>
        </message>
        <message>
            <source>sync.item_created</source>
            <extracomment>Created the service item '{name}' in QuickBooks</extracomment>
            <translation>Article de service « {name} » créé dans QuickBooks</translation>
        </message>
        <message>
            <source>sync.item_no_income_account</source>
            <extracomment>the item '{name}' does not exist in QuickBooks and no income account was found to create it</extracomment>
            <translation>l'article « {name} » n'existe pas dans QuickBooks et aucun compte de revenus n'a été trouvé pour le créer</translation>
        </message>
        <message>
            <source>sync.item_no_income_account.fix</source>
            <extracomment>Create the item in QuickBooks (Sales &gt; Products and services), or set a default item in CrocoQB's settings, then press Sync now.</extracomment>
            <translation>Créez l'article dans QuickBooks (Ventes &gt; Produits et services), ou définissez un article par défaut dans les paramètres de CrocoQB, puis appuyez sur Synchroniser maintenant.</translation>
        </message>
        <message>
            <source>sync.stopped</source>
            <extracomment>Sync stopped: {title}: {reason}</extracomment>
            <translation>Synchronisation arrêtée : {title} : {reason}</translation>
        </message>
        <message>
            <source>sync.summary_timed</source>
            <extracomment>{summary} in {seconds} s</extracomment>
            <translation>{summary} ({seconds} s)</translation>
        </message>
        <message>
            <source>sync.sync_busy.fix</source>
            <extracomment>Wait for it to finish; it usually takes less than a minute.</extracomment>
            <translation>Attendez qu'elle se termine ; cela prend généralement moins d'une minute.</translation>
        </message>
        <message>
            <source>sync.sync_busy.title</source>
            <extracomment>A sync is already running</extracomment>
            <translation>Une synchronisation est déjà en cours</translation>
        </message>
        <message>
            <source>tax.ambiguous</source>
            <extracomment>QuickBooks has {count} tax codes at {rate}% for {what}: {codes}</extracomment>
            <translation>QuickBooks a {count} codes de taxe à {rate} % pour {what} : {codes}</translation>
        </message>
        <message>
            <source>tax.ambiguous_fix</source>
            <extracomment>Choose the tax code for '{source}' on the Check page, or run `crocoqb map set tax "{source}" &lt;TaxCode Id&gt;`, then press Sync now.</extracomment>
            <translation>Choisissez le code de taxe pour « {source} » dans l'onglet Vérification, ou lancez `crocoqb map set tax "{source}" &lt;TaxCode Id&gt;`, puis appuyez sur Synchroniser maintenant.</translation>
        </message>
        <message>
            <source>tax.mapped_inactive</source>
            <extracomment>the tax code {name}(Id {qbo_id}) chosen for '{source}' is inactive or was deleted in QuickBooks</extracomment>
            <translation>le code de taxe {name}(Id {qbo_id}) choisi pour « {source} » est inactif ou a été supprimé dans QuickBooks</translation>
        </message>
        <message>
            <source>tax.mapped_inactive_fix</source>
            <extracomment>Choose another tax code for '{source}' on the Check page (`crocoqb map set tax`), or make it active again in QuickBooks, then press Sync now.</extracomment>
            <translation>Choisissez un autre code de taxe pour « {source} » dans l'onglet Vérification (`crocoqb map set tax`), ou réactivez-le dans QuickBooks, puis appuyez sur Synchroniser maintenant.</translation>
        </message>
        <message>
            <source>tax.mapped_rate_differs</source>
            <extracomment>the tax code '{name}' chosen for '{source}' is {code_rate}%, but this line's tax is {rate}%</extracomment>
            <translation>le code de taxe « {name} » choisi pour « {source} » est à {code_rate} %, mais la taxe de cette ligne est à {rate} %</translation>
        </message>
        <message>
            <source>tax.mapped_rate_differs_fix</source>
            <extracomment>Choose a tax code at {rate}% for '{source}' on the Check page (`crocoqb map set tax`), then press Sync now.</extracomment>
            <translation>Choisissez un code de taxe à {rate} % pour « {source} » dans l'onglet Vérification (`crocoqb map set tax`), puis appuyez sur Synchroniser maintenant.</translation>
        </message>
        <message>
            <source>tax.no_code_fix</source>
            <extracomment>Create a tax code for {what}{total} in QuickBooks (Taxes &gt; Sales tax settings), or choose one for '{source}' on the Check page (`crocoqb map set tax`), then press Sync now.</extracomment>
            <translation>Créez un code de taxe pour {what}{total} dans QuickBooks (Taxes &gt; Paramètres de la taxe de vente), ou choisissez-en un pour « {source} » dans l'onglet Vérification (`crocoqb map set tax`), puis appuyez sur Synchroniser maintenant.</translation>
        </message>
    </context>
</TS>
