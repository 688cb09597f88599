; Inno Setup script for the CrocoQB Windows installer (per-user: no administrator rights needed).
;
;   iscc resources\packaging\windows\crocoqb.iss
;
; Input: dist\CrocoQB\ from `pyinstaller --noconfirm --clean build.spec` (run the frozen --selftest first).
; Output: dist\installer\CrocoQB-<version>-windows-x64-setup.exe
; The version comes from CrocoQB.exe's version resource (build.spec writes it from pyproject.toml);
; /DAppVersion=... overrides it. With /DSignToolName=<name> and a matching iscc /S<name>=... the
; installer and its uninstaller are code-signed (the release workflow does this when a certificate
; is configured).
;
; Uninstalling asks whether to also remove the user's data: the data folder %LOCALAPPDATA%\CrocoQB
; (settings, sync state, logs) and the secrets in Windows Credential Manager, which the app removes
; itself (`CrocoQB.exe --remove-secrets`, see resources\packaging\entry.py) before its files go.
; A silent uninstall keeps the data.

#if VER < EncodeVer(6, 3, 0)
  #error Inno Setup 6.3 or later is required
#endif

#define AppName "CrocoQB"
#define AppExeName "CrocoQB.exe"
#define RepoRoot "..\..\.."
#define DistDir RepoRoot + "\dist\CrocoQB"
#ifndef AppVersion
  #define AppVersion GetStringFileInfo(DistDir + "\" + AppExeName, "ProductVersion")
#endif
#define AppNumericVersion GetVersionNumbersString(DistDir + "\" + AppExeName)
; The value the app's own "start at login" setting uses (crocoqb_desktop/platform/autostart.py).
#define RunKey "Software\Microsoft\Windows\CurrentVersion\Run"
#define RunValueName "CrocoQB"

[Setup]
; Never change AppId: it is how Windows and later installers recognise this app.
AppId={{C819B3BE-BE92-477B-A186-A1A1399A323F}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=CrocoClick
AppCopyright=CrocoClick
VersionInfoVersion={#AppNumericVersion}
VersionInfoProductName={#AppName}
VersionInfoDescription={#AppName} installer
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppName}
DisableDirPage=yes
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableReadyPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
SetupIconFile=..\..\icons\app.ico
UninstallDisplayIcon={app}\{#AppExeName}
UninstallDisplayName={#AppName}
WizardStyle=modern
OutputDir={#RepoRoot}\dist\installer
OutputBaseFilename={#AppName}-{#AppVersion}-windows-x64-setup
Compression=lzma2/ultra64
SolidCompression=yes
LZMAUseSeparateProcess=yes
CloseApplications=yes
RestartApplications=no
; Lets setup and uninstall see a running CrocoQB, once the app holds a mutex of this name.
AppMutex=CrocoQB.Running
#ifdef SignToolName
SignTool={#SignToolName}
SignedUninstaller=yes
#endif

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "fr"; MessagesFile: "compiler:Languages\French.isl"

[CustomMessages]
en.StartAtLogin=Start CrocoQB when I sign in to Windows (syncing continues in the background)
fr.StartAtLogin=Démarrer CrocoQB à l'ouverture de session (la synchronisation continue en arrière-plan)
en.RemoveUserDataQuestion=Also remove your CrocoQB data?%n%nThis deletes the settings, sync history and logs in%n%1%nand the CrocoClick API key and QuickBooks sign-in saved in Windows Credential Manager.%n%nChoose No to keep them, for example if you are going to reinstall CrocoQB.
fr.RemoveUserDataQuestion=Supprimer aussi vos données CrocoQB ?%n%nCela efface les réglages, l'historique de synchronisation et les journaux du dossier%n%1%nainsi que la clé d'API CrocoClick et la connexion QuickBooks enregistrées dans le Gestionnaire d'identification Windows.%n%nChoisissez Non pour les conserver, par exemple si vous allez réinstaller CrocoQB.
en.SecretsNotRemoved=CrocoQB could not remove its saved sign-ins. Open Credential Manager > Windows Credentials and remove the entries whose name contains "CrocoQB".
fr.SecretsNotRemoved=CrocoQB n'a pas pu supprimer ses identifiants enregistrés. Ouvrez le Gestionnaire d'identification > Informations d'identification Windows et supprimez les entrées dont le nom contient « CrocoQB ».
en.DataNotRemoved=Some files could not be removed from %1. You can delete this folder yourself.
fr.DataNotRemoved=Certains fichiers n'ont pas pu être supprimés du dossier %1. Vous pouvez le supprimer vous-même.

[Tasks]
Name: "startatlogin"; Description: "{cm:StartAtLogin}"
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the whole bundle: no library from an older version may linger.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Comment: "Keeps QuickBooks Online in sync with CrocoClick"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Tasks: desktopicon

[Registry]
; The same value the app writes when "start at login" is switched on in its settings.
Root: HKCU; Subkey: "{#RunKey}"; ValueType: string; ValueName: "{#RunValueName}"; ValueData: """{app}\{#AppExeName}"" --minimized"; Tasks: startatlogin; Flags: uninsdeletevalue

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
var
  RemoveUserData: Boolean;

function UserDataDir(): String;
begin
  { platformdirs' user data folder for "CrocoQB" (crocoqb_desktop/paths.py) }
  Result := ExpandConstant('{localappdata}\{#AppName}');
end;

procedure RemoveSecrets();
var
  ResultCode: Integer;
begin
  { Runs while the app's files still exist (usUninstall comes before they are deleted). }
  if not Exec(ExpandConstant('{app}\{#AppExeName}'), '--remove-secrets', '', SW_HIDE,
              ewWaitUntilTerminated, ResultCode) or (ResultCode <> 0) then
  begin
    Log(Format('CrocoQB --remove-secrets failed (exit code %d)', [ResultCode]));
    SuppressibleMsgBox(CustomMessage('SecretsNotRemoved'), mbError, MB_OK, IDOK);
  end;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if CurUninstallStep = usUninstall then
  begin
    RemoveUserData := False;
    if DirExists(UserDataDir()) then
      RemoveUserData := SuppressibleMsgBox(FmtMessage(CustomMessage('RemoveUserDataQuestion'), [UserDataDir()]),
                                           mbConfirmation, MB_YESNO or MB_DEFBUTTON2, IDNO) = IDYES;
    if RemoveUserData then
      RemoveSecrets();
  end;
  if CurUninstallStep = usPostUninstall then
  begin
    { The app may have set "start at login" itself: never leave a login item pointing at nothing. }
    RegDeleteValue(HKEY_CURRENT_USER, '{#RunKey}', '{#RunValueName}');
    if RemoveUserData and not DelTree(UserDataDir(), True, True, True) then
      SuppressibleMsgBox(FmtMessage(CustomMessage('DataNotRemoved'), [UserDataDir()]), mbError, MB_OK, IDOK);
  end;
end;
