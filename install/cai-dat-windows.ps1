# Cài đặt thidua_xl cho máy Windows của cán bộ thi đua, khen thưởng (không cần quyền quản trị).
#
#   1. tạo môi trường Python riêng ở %LOCALAPPDATA%\ThiDua\venv (đúng đường dẫn mà trang ẩn
#      "xlwings.conf" của ThiDua.xlsm chỉ tới: Interpreter_Win);
#   2. cài thidua_xl từ thư mục này và đúng phiên bản xlwings đã dùng để dựng ThiDua.xlsm;
#   3. chép ThiDua.xlsm vào thư mục làm việc, gỡ chặn macro của tệp tải về (Unblock-File) và
#      đưa thư mục đó vào "Trusted Locations" của Excel (HKCU, chỉ cho người dùng này).
#
# Chạy: nhấp đúp cai-dat.bat, hoặc
#   powershell -ExecutionPolicy Bypass -File install\cai-dat-windows.ps1 [-ThuMuc D:\ThiDua]
# The file is UTF-8 with BOM: Windows PowerShell 5.1 reads a file without BOM as ANSI.
param(
    [string]$ThuMuc = (Join-Path ([Environment]::GetFolderPath("MyDocuments")) "ThiDua"),
    [string]$Python = ""
)
$ErrorActionPreference = "Stop"

function Fail($msg) { Write-Host "LỖI: $msg" -ForegroundColor Red; exit 1 }
# any unexpected error (missing file, registry denied, ...) ends with one readable line, not a stack
trap { Fail "$($_.Exception.Message)" }

$Repo = Split-Path -Parent $PSScriptRoot
$Venv = Join-Path $env:LOCALAPPDATA "ThiDua\venv"          # = INTERPRETER_WIN of thidua_xl/workbook/build.py
$VPy = Join-Path $Venv "Scripts\python.exe"
$Workbook = Join-Path $Repo "workbooks\ThiDua.xlsm"
if (-not (Test-Path -LiteralPath $Workbook)) { Fail "Không thấy $Workbook (hãy chạy tệp này từ thư mục install của bộ cài)." }

# 1. Python >= 3.11
if (-not $Python) {
    if (Get-Command py -ErrorAction SilentlyContinue) { $Python = "py"; $PyArgs = @("-3") }
    elseif (Get-Command python -ErrorAction SilentlyContinue) { $Python = "python"; $PyArgs = @() }
    else { Fail "Chưa có Python. Hãy cài Python 3.11 trở lên từ https://www.python.org (đánh dấu 'Add python.exe to PATH') rồi chạy lại." }
} else { $PyArgs = @() }
# the Microsoft Store stub "python.exe" prints nothing useful and exits 9009: treat as no Python
# (stderr is not redirected: with "Stop", Windows PowerShell 5.1 turns redirected stderr into an error)
$ver = (& $Python @PyArgs -c "import sys; print('%d.%d' % sys.version_info[:2])" | Select-Object -Last 1)
if ($LASTEXITCODE -ne 0 -or "$ver" -notmatch '^\d+\.\d+$') {
    Fail "Lệnh '$Python' không chạy được Python. Hãy cài Python 3.11 trở lên từ https://www.python.org (đánh dấu 'Add python.exe to PATH') rồi chạy lại."
}
if ([version]$ver -lt [version]"3.11") { Fail "Cần Python 3.11 trở lên (máy đang có $ver)." }
Write-Host "Python $ver"

# 2. môi trường riêng và thư viện
if (-not (Test-Path -LiteralPath $VPy)) {
    Write-Host "Tạo môi trường Python tại $Venv"
    & $Python @PyArgs -m venv $Venv
    if ($LASTEXITCODE -ne 0) { Fail "Không tạo được môi trường Python tại $Venv." }
}
# the xlwings VBA module inside ThiDua.xlsm comes from the version the workbook was built with;
# it is recorded as a custom document property: <property name="ThiDuaXlwingsVersion"><vt:lpwstr>
Add-Type -AssemblyName System.IO.Compression.FileSystem
$zip = [IO.Compression.ZipFile]::OpenRead($Workbook)
try {
    $entry = $zip.GetEntry("docProps/custom.xml")
    if (-not $entry) { Fail "$Workbook không có docProps/custom.xml (tệp không do thidua build-workbook dựng)." }
    $stream = $entry.Open()
    $reader = New-Object IO.StreamReader($stream, [Text.Encoding]::UTF8)
    try { $custom = [xml]$reader.ReadToEnd() } finally { $reader.Close() }
} finally { $zip.Dispose() }
$ns = New-Object System.Xml.XmlNamespaceManager($custom.NameTable)
$ns.AddNamespace("cp", "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties")
$ns.AddNamespace("vt", "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes")
$PropName = "ThiDuaXlwingsVersion"
$node = $custom.SelectSingleNode("/cp:Properties/cp:property[@name='$PropName']/vt:lpwstr", $ns)
$XlwingsVersion = if ($node) { $node.InnerText.Trim() } else { "" }
if (-not $XlwingsVersion) { Fail "Không đọc được phiên bản xlwings trong $Workbook." }
Write-Host "Cài thidua_xl và xlwings $XlwingsVersion (có thể mất vài phút)"
& $VPy -m pip install --upgrade pip | Out-Null
& $VPy -m pip install "$Repo" "xlwings==$XlwingsVersion"
if ($LASTEXITCODE -ne 0) { Fail "pip không cài được thidua_xl (xem thông báo ở trên)." }
& $VPy -m thidua_xl --help | Out-Null
if ($LASTEXITCODE -ne 0) { Fail "Đã cài nhưng lệnh thidua không chạy được." }

# 3. tệp làm việc, gỡ chặn, Trusted Location
# a full path: Excel compares the Trusted Location literally, a relative -ThuMuc would never match
$ThuMuc = (New-Item -ItemType Directory -Force -Path $ThuMuc).FullName
$Dest = Join-Path $ThuMuc "ThiDua.xlsm"
if (Test-Path -LiteralPath $Dest) {
    # never overwrite the officer's workbook (nor a ThiDua-moi.xlsm already in use): the new one goes beside it
    $Dest = Join-Path $ThuMuc "ThiDua-moi.xlsm"
    if (Test-Path -LiteralPath $Dest) { $Dest = Join-Path $ThuMuc ("ThiDua-moi-" + (Get-Date -Format "yyyyMMdd-HHmmss") + ".xlsm") }
    Write-Host "Đã có ThiDua.xlsm trong ${ThuMuc}: giữ nguyên, bản mới lưu thành $Dest"
}
Copy-Item -LiteralPath $Workbook -Destination $Dest
Unblock-File -LiteralPath $Dest
$office = Get-ChildItem "HKCU:\Software\Microsoft\Office" -ErrorAction SilentlyContinue |
    Where-Object { $_.PSChildName -match '^\d+\.\d+$' } | Sort-Object { [version]$_.PSChildName } | Select-Object -Last 1
$officeVer = if ($office) { $office.PSChildName } else { "16.0" }
$trusted = "HKCU:\Software\Microsoft\Office\$officeVer\Excel\Security\Trusted Locations"
$key = Join-Path $trusted "ThiDua"
New-Item -Path $key -Force | Out-Null
New-ItemProperty -Path $key -Name "Path" -Value ($ThuMuc.TrimEnd('\') + '\') -PropertyType String -Force | Out-Null
New-ItemProperty -Path $key -Name "AllowSubfolders" -Value 1 -PropertyType DWord -Force | Out-Null
New-ItemProperty -Path $key -Name "Description" -Value "thidua_xl" -PropertyType String -Force | Out-Null
$onNetwork = $ThuMuc.StartsWith('\\')
if (-not $onNetwork) { $onNetwork = (New-Object IO.DriveInfo([IO.Path]::GetPathRoot($ThuMuc))).DriveType -eq "Network" }
if ($onNetwork) {
    # a folder on a network share or mapped drive is trusted only when network locations are allowed at all
    New-ItemProperty -Path $trusted -Name "AllowNetworkLocations" -Value 1 -PropertyType DWord -Force | Out-Null
}

Write-Host ""
Write-Host "XONG. Mở $Dest bằng Excel: thẻ 'Thi đua' trên thanh ribbon có các nút Kiểm tra, Tổng hợp, ..." -ForegroundColor Green
Write-Host "Dòng lệnh: $Venv\Scripts\thidua.exe --help"
