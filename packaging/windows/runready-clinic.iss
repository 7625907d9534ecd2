; Inno Setup script for RunReady Clinic on Windows (not built on the Linux CI machine).
; Build the onedir bundle on Windows first:   bash packaging/build.sh   (Git Bash), or
;   .venv\Scripts\pyinstaller --noconfirm --distpath dist\bundle packaging\runready-clinic.spec
; then compile this script with Inno Setup 6:  iscc /DAppVersion=0.1.0 packaging\windows\runready-clinic.iss
; The installer goes to dist\installer\. Per-user install by default (no administrator rights needed);
; an administrator can choose "all users". Uninstalling leaves the clinic's data in
; %LOCALAPPDATA%\RunReady Clinic (database, backups, logs) and the settings in the registry under
; HKCU\Software\RunReady\RunReady Clinic.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6C1F3E54-2F0B-4B9A-9D55-3E1A7C2B9D41}
AppName=RunReady Clinic
AppVersion={#AppVersion}
AppPublisher=RunReady Clinic
DefaultDirName={autopf}\RunReady Clinic
DefaultGroupName=RunReady Clinic
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\..\dist\installer
OutputBaseFilename=runready-clinic-{#AppVersion}-windows-setup
SetupIconFile=..\icons\runready-clinic.ico
UninstallDisplayIcon={app}\runready-clinic.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; An upgrade replaces the program folder; the data folder is never inside it.
CloseApplications=yes

[Files]
Source: "..\..\dist\bundle\runready-clinic\*"; DestDir: "{app}"; Flags: recursesubdirs createallsubdirs ignoreversion

[InstallDelete]
; Files of an older version that this one no longer ships would otherwise stay and be imported.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{group}\RunReady Clinic"; Filename: "{app}\runready-clinic.exe"
Name: "{group}\Check the installation"; Filename: "{app}\runready-clinic.exe"; Parameters: "--self-test"
Name: "{autodesktop}\RunReady Clinic"; Filename: "{app}\runready-clinic.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Create a desktop shortcut"; Flags: unchecked

[Run]
Filename: "{app}\runready-clinic.exe"; Description: "Start RunReady Clinic"; Flags: nowait postinstall skipifsilent
