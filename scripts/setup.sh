#!/usr/bin/env bash
# Installs the Debian packages LandmarkKit builds against, when any is missing.
# Safe to run again; needs root (or sudo) only when something must be installed.
set -euo pipefail
# dcmtk and dicom3tools: the checkers (dsrdump, dsr2xml, dcmpschk, dcmdump; dciodvfy) that tests run on the SR and
# GSPS objects. Open MPI: training and inference across machines (mpirun), and the tests that run them on localhost.
packages=(libdcmtk-dev dcmtk dicom3tools libtiff-dev libopenblas-dev libopenjp2-7-dev libpng-dev libxml2-dev zlib1g-dev librsvg2-dev fonts-dejavu-core pkg-config chromium openmpi-bin libopenmpi-dev)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
command -v swift >/dev/null || { echo "setup: swift is not on PATH (Swift 6.x toolchain needed)"; exit 1; }
echo "setup: all native dependencies present"
