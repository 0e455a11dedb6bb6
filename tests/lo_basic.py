"""Run VBA functions of a workbook inside headless LibreOffice, which compiles the module first.

LibreOffice imports an .xlsm's VBA project as executable Basic (VBA compatibility mode) when
its profile says so; a checker macro placed in the profile's own Standard library opens the
workbook, calls each requested `Module.Function(argument)` through the document's script
provider and writes one line per call: `name<TAB>OK<TAB>result` or `name<TAB>ERR<TAB>message`.
A module that does not compile has no callable function ("could not be found").
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

_CHECKER = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub Check
  Dim doc As Object, sp As Object, script As Object, res As Variant, i As Integer, j As Integer
  Dim callArgs()
  Dim calls() As String, parts() As String
  Dim args(1) As New com.sun.star.beans.PropertyValue
  Dim outArgs(), outIdx()
  Open Environ(&quot;THIDUA_LO_OUT&quot;) For Output As #1
  On Error GoTo LoadFail
  args(0).Name = &quot;Hidden&quot; : args(0).Value = True
  args(1).Name = &quot;MacroExecutionMode&quot; : args(1).Value = 4
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(Environ(&quot;THIDUA_LO_DOC&quot;)), &quot;_blank&quot;, 0, args())
  sp = doc.getScriptProvider()
  calls = Split(Environ(&quot;THIDUA_LO_CALLS&quot;), &quot;|&quot;)
  For i = 0 To UBound(calls)
    parts = Split(calls(i), &quot;~&quot;)
    On Error GoTo CallFail
    script = sp.getScript(&quot;vnd.sun.star.script:VBAProject.&quot; &amp; parts(0) &amp; &quot;?language=Basic&amp;location=document&quot;)
    If UBound(parts) &gt; 0 Then
      ReDim callArgs(UBound(parts) - 1)
      For j = 1 To UBound(parts)
        callArgs(j - 1) = parts(j)
      Next j
      res = script.invoke(callArgs, outIdx, outArgs)
    Else
      res = script.invoke(Array(), outIdx, outArgs)
    End If
    Print #1, calls(i) &amp; Chr(9) &amp; &quot;OK&quot; &amp; Chr(9) &amp; Replace(CStr(res), Chr(10), &quot;\\n&quot;)
    GoTo NextCall
CallFail:
    Print #1, calls(i) &amp; Chr(9) &amp; &quot;ERR&quot; &amp; Chr(9) &amp; Replace(Error$, Chr(10), &quot; &quot;)
    Resume NextCall
NextCall:
  Next i
  doc.close(True)
  GoTo Done
LoadFail:
  Print #1, &quot;LOAD&quot; &amp; Chr(9) &amp; &quot;ERR&quot; &amp; Chr(9) &amp; Error$
Done:
  Close #1
  StarDesktop.terminate()
End Sub
</script:module>
"""

_SETTINGS = """<item oor:path="/org.openoffice.Office.Calc/Filter/Import/VBA"><prop oor:name="Executable" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>0</value></prop></item>
"""


def call_vba(workbook: Path, calls: list[str], tmp: Path, timeout: int = 300) -> dict[str, tuple[str, str]]:
    """{call: (OK|ERR, result or error)} for calls like "ThiDua.IsAscii~abc" (string arguments after each ~)."""
    profile = tmp / "lo-profile"
    if not (profile / "user" / "basic" / "Standard").is_dir():  # let LibreOffice lay out a fresh profile
        subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--terminate_after_init"],
                       capture_output=True, timeout=timeout)
    standard = profile / "user" / "basic" / "Standard"
    (standard / "Module1.xba").write_text(_CHECKER, "utf-8")
    xcu = profile / "user" / "registrymodifications.xcu"
    text = xcu.read_text("utf-8")
    if "Filter/Import/VBA" not in text:
        xcu.write_text(text.replace("</oor:items>", _SETTINGS + "</oor:items>"), "utf-8")
    out = tmp / "lo-calls.txt"
    out.unlink(missing_ok=True)
    env = dict(os.environ, THIDUA_LO_OUT=str(out), THIDUA_LO_DOC=str(workbook), THIDUA_LO_CALLS="|".join(calls))
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "macro:///Standard.Module1.Check"],
                   capture_output=True, timeout=timeout, env=env)
    results = {}
    for line in out.read_text("utf-8", errors="replace").splitlines():
        name, status, value = (line.split("\t", 2) + ["", ""])[:3]
        results[name] = (status, value)
    return results
