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
param(
    [string]$ThuMuc = (Join-Path ([Environment]::GetFolderPath("MyDocuments")) "ThiDua"),
    [string]$Python = ""
)
$ErrorActionPreference = "Stop"
$Repo = Split-Path -Parent $PSScriptRoot
$Venv = Join-Path $env:LOCALAPPDATA "ThiDua\venv"          # = INTERPRETER_WIN of thidua_xl/workbook/build.py
$Workbook = Join-Path $Repo "workbooks\ThiDua.xlsm"

function Fail($msg) { Write-Host "LỖI: $msg" -ForegroundColor Red; exit 1 }

# 1. Python >= 3.11
if (-not $Python) {
    if (Get-Command py -ErrorAction SilentlyContinue) { $Python = "py"; $PyArgs = @("-3") }
    elseif (Get-Command python -ErrorAction SilentlyContinue) { $Python = "python"; $PyArgs = @() }
    else { Fail "Chưa có Python. Hãy cài Python 3.11 trở lên từ https://www.python.org (đánh dấu 'Add python.exe to PATH') rồi chạy lại." }
} else { $PyArgs = @() }
$ver = & $Python @PyArgs -c "import sys; print('%d.%d' % sys.version_info[:2])"
if ([version]$ver -lt [version]"3.11") { Fail "Cần Python 3.11 trở lên (máy đang có $ver)." }
Write-Host "Python $ver"

# 2. môi trường riêng và thư viện
if (-not (Test-Path (Join-Path $Venv "Scripts\python.exe"))) {
    Write-Host "Tạo môi trường Python tại $Venv"
    & $Python @PyArgs -m venv $Venv
}
$VPy = Join-Path $Venv "Scripts\python.exe"
# the xlwings VBA module inside ThiDua.xlsm comes from the version the workbook was built with
Add-Type -AssemblyName System.IO.Compression.FileSystem
$zip = [IO.Compression.ZipFile]::OpenRead($Workbook)
try {
    $entry = $zip.GetEntry("docProps/custom.xml")
    $reader = New-Object IO.StreamReader($entry.Open())
    $custom = [xml]$reader.ReadToEnd(); $reader.Close()
} finally { $zip.Dispose() }
$XlwingsVersion = ($custom.Properties.property | Where-Object { $_.name -eq "ThiDuaXlwingsVersion" }).lpwstr
if (-not $XlwingsVersion) { Fail "Không đọc được phiên bản xlwings trong $Workbook." }
Write-Host "Cài thidua_xl và xlwings $XlwingsVersion (có thể mất vài phút)"
& $VPy -m pip install --upgrade pip | Out-Null
& $VPy -m pip install "$Repo" "xlwings==$XlwingsVersion"
if ($LASTEXITCODE -ne 0) { Fail "pip không cài được thidua_xl (xem thông báo ở trên)." }
& $VPy -m thidua_xl --help | Out-Null
if ($LASTEXITCODE -ne 0) { Fail "Đã cài nhưng lệnh thidua không chạy được." }

# 3. tệp làm việc, gỡ chặn, Trusted Location
New-Item -ItemType Directory -Force -Path $ThuMuc | Out-Null
$Dest = Join-Path $ThuMuc "ThiDua.xlsm"
if (Test-Path $Dest) {
    $stamp = Get-Date -Format "yyyyMMdd-HHmmss"
    Copy-Item $Dest (Join-Path $ThuMuc "ThiDua.$stamp.xlsm")   # never overwrite the officer's file without a copy
    Write-Host "Đã có ${Dest}: giữ nguyên, bản mới lưu thành ThiDua-moi.xlsm"
    $Dest = Join-Path $ThuMuc "ThiDua-moi.xlsm"
}
Copy-Item $Workbook $Dest
Unblock-File -Path $Dest
$office = Get-ChildItem "HKCU:\Software\Microsoft\Office" -ErrorAction SilentlyContinue |
    Where-Object { $_.PSChildName -match '^\d+\.\d+$' } | Sort-Object { [version]$_.PSChildName } | Select-Object -Last 1
$officeVer = if ($office) { $office.PSChildName } else { "16.0" }
$key = "HKCU:\Software\Microsoft\Office\$officeVer\Excel\Security\Trusted Locations\ThiDua"
New-Item -Path $key -Force | Out-Null
New-ItemProperty -Path $key -Name "Path" -Value ($ThuMuc.TrimEnd('\') + '\') -PropertyType String -Force | Out-Null
New-ItemProperty -Path $key -Name "AllowSubfolders" -Value 1 -PropertyType DWord -Force | Out-Null
New-ItemProperty -Path $key -Name "Description" -Value "thidua_xl" -PropertyType String -Force | Out-Null

Write-Host ""
Write-Host "XONG. Mở $Dest bằng Excel: thẻ 'Thi đua' trên thanh ribbon có các nút Kiểm tra, Tổng hợp, ..." -ForegroundColor Green
Write-Host "Dòng lệnh: $Venv\Scripts\thidua.exe --help"
