; Inno Setup 6 script: the Windows installer for Butik (POS, back office, sync node, server).
;
; Build on Windows, after the one-folder bundle (PyInstaller builds for the OS it runs on):
;   py -m pip install pyinstaller
;   py -m PyInstaller --noconfirm --distpath dist --workpath build\pyinstaller installer\butik.spec
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" installer\butik.iss
; Result: dist\installer\butik-setup-VERSION.exe. Pass /DAppVersion=1.2.3 to ISCC to stamp a release.
;
; dist\butik\ holds butik.exe (console: server, sync, report, import/export…) and butikw.exe (the
; same program without a console window: used by the shortcuts below).
; Data and settings live in the user's folder (%LOCALAPPDATA%\butik), never under {app}: an
; uninstall or an upgrade leaves the shop's database, the replica and the journal in place.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
; AppId identifies Butik for upgrades and uninstall: never change it.
AppId={{6B2C3E52-8A1D-4F0B-9E47-3C5D2B1A7F90}
AppName=Butik
AppVersion={#AppVersion}
AppPublisher=Butik contributors
AppComments=Omnichannel retail: touchscreen POS, back office, server and sync node
DefaultDirName={autopf}\Butik
DefaultGroupName=Butik
DisableProgramGroupPage=yes
; Installs for all users (admin, Program Files) by default; the dialog allows a per-user install.
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
SourceDir=..
OutputDir=dist\installer
OutputBaseFilename=butik-setup-{#AppVersion}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\butikw.exe
UninstallDisplayName=Butik {#AppVersion}
; Upgrades: Setup asks running Butik windows to close (Restart Manager) before replacing files.
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
; Swedish is an unofficial Inno Setup translation: put Swedish.isl in the compiler's Languages
; folder and uncomment this line to offer it.
; Name: "sv"; MessagesFile: "compiler:Languages\Swedish.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "syncautostart"; Description: "Start the Butik sync node when a user logs on (enrol this PC first: butik enrol)"; GroupDescription: "Sync node:"; Flags: unchecked

[Files]
Source: "dist\butik\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "installer\README.md"; DestDir: "{app}"; DestName: "INSTALL.md"; Flags: ignoreversion

[InstallDelete]
; An upgrade replaces the whole bundle: stale modules from an older version must not linger.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\Butik\Butik POS"; Filename: "{app}\butikw.exe"; Parameters: "pos"; WorkingDir: "{app}"; Comment: "Touchscreen till (kassa)"
Name: "{autoprograms}\Butik\Butik back office"; Filename: "{app}\butikw.exe"; Parameters: "backoffice"; WorkingDir: "{app}"; Comment: "Orders, products, stock, purchasing, ledger"
Name: "{autoprograms}\Butik\Butik demo shop"; Filename: "{app}\butikw.exe"; Parameters: "demo"; WorkingDir: "{app}"; Comment: "Build the demo shop and open the till on it"
Name: "{autoprograms}\Butik\Butik command prompt"; Filename: "{cmd}"; Parameters: "/k butik --help"; WorkingDir: "{app}"; Comment: "butik server, sync, report, import, export"
Name: "{autoprograms}\Butik\Uninstall Butik"; Filename: "{uninstallexe}"
Name: "{autodesktop}\Butik POS"; Filename: "{app}\butikw.exe"; Parameters: "pos"; WorkingDir: "{app}"; Tasks: desktopicon
; The sync node runs in the logged-on user's session, so it finds the device token that
; `butik enrol` put in that user's Windows Credential Manager (keyring). The uninstaller removes
; this shortcut with the others.
Name: "{autostartup}\Butik sync node"; Filename: "{app}\butikw.exe"; Parameters: "sync --interval 30"; WorkingDir: "{app}"; Tasks: syncautostart

[Run]
Filename: "{app}\butikw.exe"; Parameters: "demo"; Description: "Open the demo shop now"; Flags: postinstall nowait skipifsilent unchecked

[UninstallRun]
; Stop a running sync node or window so its files can be removed.
Filename: "{sys}\taskkill.exe"; Parameters: "/F /IM butikw.exe"; Flags: runhidden; RunOnceId: "StopButikW"
Filename: "{sys}\taskkill.exe"; Parameters: "/F /IM butik.exe"; Flags: runhidden; RunOnceId: "StopButik"
