"""
pip-audit over the installed dependencies, read honestly.

pip-audit looks each package up in PyPI's vulnerability data. On a closed
network that lookup fails for every package, and pip-audit still says "No
known vulnerabilities found". This reads its JSON instead: any vulnerability
fails; a run in which nothing could be looked up says so plainly and does
not count as an audit (it fails only with AUDIT_STRICT=1).
"""

import json
import os
import subprocess
import sys

run = subprocess.run([sys.executable, "-m", "pip_audit", "--format", "json",
                      "--progress-spinner", "off", "--skip-editable"],
                     capture_output=True, text=True, timeout=600)
if not run.stdout.strip():
    print(run.stderr, file=sys.stderr)
    sys.exit(run.returncode or 1)
report = json.loads(run.stdout)["dependencies"]
vulnerable = [dependency for dependency in report if dependency.get("vulns")]
audited = [dependency for dependency in report if "skip_reason" not in dependency]
for dependency in vulnerable:
    for vuln in dependency["vulns"]:
        print(f"{dependency['name']} {dependency['version']}: {vuln['id']} "
              f"(fixed in {', '.join(vuln['fix_versions']) or 'no release yet'})")
if vulnerable:
    sys.exit(1)
if not audited:
    print(f"pip-audit: none of the {len(report)} dependencies could be looked up in PyPI's "
          "vulnerability data (closed network?); this run audited nothing.")
    sys.exit(1 if os.environ.get("AUDIT_STRICT") == "1" else 0)
print(f"pip-audit: {len(audited)} dependencies audited, no known vulnerabilities "
      f"({len(report) - len(audited)} could not be looked up).")
