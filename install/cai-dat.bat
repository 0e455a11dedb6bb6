@echo off
rem Double-click to install thidua_xl for this Windows user (see cai-dat-windows.ps1).
powershell -NoProfile -ExecutionPolicy Bypass -File "%~dp0cai-dat-windows.ps1" %*
pause
