"""Make sure WeasyPrint's system libraries and the OCR programs are present.

Without Tesseract (with its Vietnamese data) and pdftoppm, eCabinet cannot
read scanned pages for a secret marking, and holds such papers for the
secretariat's confirmation (docs/paper-safety.md).

Installs them with apt-get when this machine has it and we may use it (root,
or sudo without a password); otherwise says exactly what to install.
"""

from __future__ import annotations

import ctypes.util
import os
import shutil
import subprocess
import sys

NEEDED = {  # library soname stem -> Debian/Ubuntu package
    "pango-1.0": "libpango-1.0-0",
    "pangoft2-1.0": "libpangoft2-1.0-0",
    "harfbuzz": "libharfbuzz0b",
    "fontconfig": "libfontconfig1",
}
EXTRA_PACKAGES = ["libharfbuzz-subset0", "fonts-dejavu-core"]


PROGRAMS = {"tesseract": "tesseract-ocr", "pdftoppm": "poppler-utils"}  # program -> package


def _has_vietnamese_ocr() -> bool:
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        return False
    listed = subprocess.run([tesseract, "--list-langs"], capture_output=True, text=True, check=False)  # noqa: S603
    return "vie" in listed.stdout.split()


def missing() -> list[str]:
    absent = [package for lib, package in NEEDED.items() if ctypes.util.find_library(lib) is None]
    absent += [package for program, package in PROGRAMS.items() if shutil.which(program) is None]
    if not _has_vietnamese_ocr():
        absent.append("tesseract-ocr-vie")
    return absent


def main() -> int:
    absent = missing()
    if not absent:
        return 0
    packages = absent + [p for p in EXTRA_PACKAGES if set(absent) & set(NEEDED.values())]
    apt = shutil.which("apt-get")
    if apt:
        prefix: list[str] = []
        if os.geteuid() != 0:
            sudo = shutil.which("sudo")
            if sudo and subprocess.run([sudo, "-n", "true"], capture_output=True).returncode == 0:  # noqa: S603
                prefix = [sudo, "-n"]
        if os.geteuid() == 0 or prefix:
            print(f"Installing WeasyPrint's system libraries: {' '.join(packages)}")
            env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
            subprocess.run([*prefix, apt, "update", "-qq"], check=False, env=env)  # noqa: S603
            result = subprocess.run([*prefix, apt, "install", "-y", "-qq", *packages], env=env)  # noqa: S603
            if result.returncode == 0 and not missing():
                return 0
    print(
        "WeasyPrint (PDF minutes and result sheets) needs Pango, HarfBuzz and fontconfig.\n"
        f"Install them, then run make again:\n"
        f"  Debian/Ubuntu: sudo apt-get install {' '.join(packages)}\n"
        "  Fedora:        sudo dnf install pango harfbuzz fontconfig\n"
        "  macOS:         brew install pango\n"
        "Everything else works without them; PDF output will fail until they are there.",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
