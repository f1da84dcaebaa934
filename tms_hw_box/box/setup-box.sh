#!/usr/bin/env bash
# Set up a TMS hardware box on a warehouse PC or a Raspberry Pi (Debian, Ubuntu,
# Raspberry Pi OS): Odoo 18.0 with tms_hw_box loaded server-wide, no database,
# serving the box API over HTTPS. The box installs only what it runs: the Python
# libraries of box/requirements.txt, no database server, no other TMS module than
# tms_device (next to tms_hw_box: its raw TCP printer client).
#
#   sudo ./setup-box.sh --systemd        install, and run it as a service at boot
#   ./setup-box.sh                       install for this user; start it by hand
#
# Options:
#   --prefix DIR      where everything goes (default: /opt/tms-box as root,
#                     ~/.local/share/tms-box otherwise)
#   --odoo-src DIR    an Odoo 18.0 source tree to use (default: clone it into
#                     PREFIX/odoo, or reuse the one already there)
#   --venv DIR        an existing Python virtualenv to use instead of PREFIX/venv
#                     (used as it is when Odoo and the drivers already import)
#   --port PORT       HTTPS port of the box (default 8069)
#   --name NAME       extra host name or IP address for the certificate
#                     (repeatable; the host name, NAME.local and the IPs are in)
#   --no-tls          serve plain HTTP (only for an Odoo served over http)
#   --renew-cert      make a new certificate even if one exists
#   --systemd         (root) create the tms-box user and service, start it
#   --no-system-packages  as root, do not install Debian packages (they are there)
#
# Running it again is safe: it keeps the certificate, the devices.json and the
# pairing, and only installs what is missing.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ADDONS=$(cd "$HERE/../.." && pwd) # the folder holding tms_hw_box
PIP_VERSION=25.3
ODOO_GIT=https://github.com/odoo/odoo.git
if [ "$(id -u)" = 0 ]; then PREFIX=/opt/tms-box; else PREFIX=${XDG_DATA_HOME:-$HOME/.local/share}/tms-box; fi
ODOO_SRC=""
VENV=""
PORT=8069
NAMES=()
TLS=1
RENEW=0
SYSTEMD=0
SYSTEM_PACKAGES=1
SERVICE_USER=tms-box

step() { printf '\033[1;34m==> %s\033[0m\n' "$*"; }
info() { printf '    %s\n' "$*"; }
die() {
    printf '\033[1;31mxx  %s\033[0m\n' "$*" >&2
    exit 1
}

while [ $# -gt 0 ]; do
    case "$1" in
    --prefix) PREFIX=$2 && shift ;;
    --odoo-src) ODOO_SRC=$2 && shift ;;
    --venv) VENV=$2 && shift ;;
    --port) PORT=$2 && shift ;;
    --name) NAMES+=("$2") && shift ;;
    --no-tls) TLS=0 ;;
    --renew-cert) RENEW=1 ;;
    --systemd) SYSTEMD=1 ;;
    --no-system-packages) SYSTEM_PACKAGES=0 ;;
    -h | --help)
        sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *) die "unknown option $1 (see --help)" ;;
    esac
    shift
done
[ -f "$ADDONS/tms_hw_box/__manifest__.py" ] || die "run this script from tms_hw_box/box/"
[ -f "$ADDONS/tms_device/__manifest__.py" ] ||
    die "tms_device/ is missing beside tms_hw_box/: copy both (the box uses its printer client)"
[ "$SYSTEMD" = 0 ] || [ "$(id -u)" = 0 ] || die "--systemd needs root (sudo)"
mkdir -p "$PREFIX"
PREFIX=$(cd "$PREFIX" && pwd)
VENV=${VENV:-$PREFIX/venv}
DATA=$PREFIX/data
CONF=$PREFIX/box.conf

# ------------------------------------------------------------------------------------
step "System packages"
if [ "$SYSTEM_PACKAGES" = 0 ]; then
    info "skipped (--no-system-packages)"
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    # build headers for the pinned libraries that have no wheel for this machine
    pkgs=(git python3 python3-venv python3-dev build-essential libpq-dev libxml2-dev
        libxslt1-dev libjpeg-dev zlib1g-dev libffi-dev libusb-1.0-0 openssl curl)
    missing=()
    for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
    if [ ${#missing[@]} -gt 0 ]; then
        info "installing ${missing[*]}"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
    else
        info "all present"
    fi
else
    info "not root: skipped (needs git, python3-venv, openssl; build headers if pip compiles)"
fi

# ------------------------------------------------------------------------------------
step "Odoo 18.0 source"
if [ -z "$ODOO_SRC" ]; then
    ODOO_SRC=$PREFIX/odoo
    if [ ! -f "$ODOO_SRC/odoo-bin" ]; then
        info "cloning $ODOO_GIT (branch 18.0, shallow) into $ODOO_SRC"
        git clone --quiet --depth 1 --branch 18.0 "$ODOO_GIT" "$ODOO_SRC"
    fi
fi
grep -q "^version_info = (18, 0" "$ODOO_SRC/odoo/release.py" 2>/dev/null ||
    die "$ODOO_SRC is not an Odoo 18.0 source tree"
info "$ODOO_SRC"

# ------------------------------------------------------------------------------------
step "Python virtualenv ($VENV)"
GIVEN_VENV=0
if [ -x "$VENV/bin/python" ]; then
    [ "$VENV" = "$PREFIX/venv" ] || GIVEN_VENV=1
else
    python3 -m venv "$VENV"
fi
# Odoo is not installed in the virtualenv (that would pull all its requirements):
# its source folder is put on the virtualenv's path.
odoo_in_venv() {
    "$VENV/bin/python" -c 'import importlib.util as u; s = u.find_spec("odoo"); print(s.submodule_search_locations[0] if s else "")'
}
if [ -z "$(odoo_in_venv)" ]; then
    site=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    echo "$ODOO_SRC" >"$site/tms-box-odoo.pth"
fi
grep -q "^version_info = (18, 0" "$(odoo_in_venv)/release.py" ||
    die "the virtualenv $VENV imports another Odoo than 18.0 ($(odoo_in_venv))"
stamp=$VENV/.tms-box-requirements
want=$(cat "$HERE/requirements.txt" "$HERE/constraints-build.txt" | sha256sum | cut -c1-16)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    info "requirements up to date"
elif [ "$GIVEN_VENV" = 1 ] && "$VENV/bin/python" - <<'EOF' 2>/dev/null; then
import odoo.http, escpos.printer, serial, usb  # noqa: F401, E401
EOF
    info "Odoo, python-escpos, pyserial and pyusb already importable: used as they are"
else
    info "installing box/requirements.txt (the libraries a box runs, pinned)"
    # pip itself is pinned too; constraints-build.txt pins the build tools
    (
        cd "$HERE"
        "$VENV/bin/python" -m pip install -q "pip==$PIP_VERSION" setuptools wheel \
            --constraint constraints-build.txt
        PIP_CONSTRAINT=constraints-build.txt PIP_BUILD_CONSTRAINT=constraints-build.txt \
            "$VENV/bin/python" -m pip install -q --no-warn-conflicts -r requirements.txt
    )
    echo "$want" >"$stamp"
fi

# ------------------------------------------------------------------------------------
step "Box data ($DATA)"
mkdir -p "$DATA/tms_box"
chmod 700 "$DATA" "$DATA/tms_box"
if [ ! -f "$DATA/tms_box/devices.json" ]; then
    cp "$HERE/devices.example.json" "$DATA/tms_box/devices.json"
    info "wrote devices.json from the example: edit it to declare your printers and scanners"
else
    info "devices.json kept"
fi

# ------------------------------------------------------------------------------------
CERT=$PREFIX/tls/box.crt
KEY=$PREFIX/tls/box.key
if [ "$TLS" = 1 ]; then
    step "TLS certificate ($CERT)"
    if [ -f "$CERT" ] && [ "$RENEW" = 0 ]; then
        info "kept (--renew-cert to make a new one)"
    else
        mkdir -p "$PREFIX/tls"
        host=$(hostname)
        names=("$host" "$host.local" localhost "${NAMES[@]}")
        ips=(127.0.0.1 $(hostname -I 2>/dev/null || true))
        if command -v mkcert >/dev/null; then
            info "signed by the local CA of mkcert ($(mkcert -CAROOT))"
            mkcert -cert-file "$CERT" -key-file "$KEY" "${names[@]}" "${ips[@]}" >/dev/null 2>&1
        else
            san=""
            for n in "${names[@]}"; do
                if [[ "$n" =~ ^[0-9.:]+$ ]]; then san+="IP:$n,"; else san+="DNS:$n,"; fi
            done
            for ip in "${ips[@]}"; do san+="IP:$ip,"; done
            openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
                -days 825 -subj "/CN=$host" -addext "subjectAltName=${san%,}" \
                -addext "basicConstraints=critical,CA:TRUE" \
                -keyout "$KEY" -out "$CERT" 2>/dev/null
            info "self-signed for: ${san%,}"
        fi
        chmod 600 "$KEY"
    fi
fi

# ------------------------------------------------------------------------------------
step "Configuration ($CONF)"
addons="$ODOO_SRC/odoo/addons"
[ -d "$ODOO_SRC/addons" ] && addons="$addons,$ODOO_SRC/addons"
addons="$addons,$ADDONS"
{
    echo "; Generated by setup-box.sh: run it again rather than editing this file."
    echo "; The devices are in $DATA/tms_box/devices.json."
    echo "[options]"
    echo "addons_path = $addons"
    echo "data_dir = $DATA"
    echo "http_port = $PORT"
    echo "; a box serves no database: tms_hw_box loaded server-wide, nothing else"
    echo "server_wide_modules = base,web,tms_hw_box"
    echo "list_db = False"
    echo "db_host = False"
    echo "max_cron_threads = 0"
    echo "workers = 0"
    echo "proxy_mode = False"
    echo "log_level = info"
    if [ "$TLS" = 1 ]; then
        echo "tms_box_certificate = $CERT"
        echo "tms_box_private_key = $KEY"
    fi
} >"$CONF.new"
if [ -f "$CONF" ] && cmp -s "$CONF" "$CONF.new"; then
    rm "$CONF.new" && info "unchanged"
else
    mv "$CONF.new" "$CONF" && info "written"
fi
RUN=("$VENV/bin/python" "$HERE/run_box.py" -c "$CONF")

# ------------------------------------------------------------------------------------
scheme=https
[ "$TLS" = 1 ] || scheme=http
if [ "$SYSTEMD" = 1 ]; then
    step "Service tms-box (systemd)"
    if ! id "$SERVICE_USER" >/dev/null 2>&1; then
        useradd --system --home-dir "$PREFIX" --no-create-home --shell /usr/sbin/nologin "$SERVICE_USER"
    fi
    # serial scanners and printers (dialout), USB and parallel printers (lp)
    for g in dialout lp plugdev; do getent group "$g" >/dev/null && usermod -aG "$g" "$SERVICE_USER"; done
    chown -R "$SERVICE_USER" "$DATA"
    [ "$TLS" = 1 ] && chown "$SERVICE_USER" "$KEY"
    cat >/etc/udev/rules.d/60-tms-box.rules <<'EOF'
# TMS hardware box: USB printers (interface class 7) usable by the "lp" group.
SUBSYSTEM=="usb", ENV{DEVTYPE}=="usb_device", ENV{ID_USB_INTERFACES}=="*:0701??:*", MODE="0660", GROUP="lp"
EOF
    udevadm control --reload-rules 2>/dev/null && udevadm trigger 2>/dev/null || true
    cat >/etc/systemd/system/tms-box.service.new <<EOF
[Unit]
Description=TMS hardware box (Odoo tms_hw_box, no database)
After=network-online.target
Wants=network-online.target

[Service]
User=$SERVICE_USER
ExecStart=${RUN[*]}
Restart=on-failure
RestartSec=5
NoNewPrivileges=true
ProtectSystem=full
ProtectHome=read-only
ReadWritePaths=$DATA

[Install]
WantedBy=multi-user.target
EOF
    if cmp -s /etc/systemd/system/tms-box.service /etc/systemd/system/tms-box.service.new; then
        rm /etc/systemd/system/tms-box.service.new
    else
        mv /etc/systemd/system/tms-box.service.new /etc/systemd/system/tms-box.service
    fi
    systemctl daemon-reload
    systemctl enable --quiet tms-box
    systemctl restart tms-box
    info "started; logs: journalctl -u tms-box -f"
    HOW="sudo journalctl -u tms-box | grep 'pairing code' | tail -1"
else
    step "Start the box"
    info "${RUN[*]}"
    HOW="in the log of the command above"
fi

cat <<EOF

  The box answers at   $scheme://$(hostname).local:$PORT/tms_box/v1/status
  Devices:             $DATA/tms_box/devices.json (re-read within 5 s of a change)
  Pairing code:        $HOW
                       (or on the box: curl -ks $scheme://localhost:$PORT/tms_box/v1/pairing)

  Then in Odoo: Transport > Configuration > Hardware Boxes > New > Pair.
EOF
[ "$TLS" = 1 ] && [ ! -x "$(command -v mkcert)" ] && cat <<EOF
  The certificate is self-signed: open $scheme://$(hostname).local:$PORT/tms_box/v1/status
  once in each warehouse browser and accept it, or install $CERT as a trusted
  authority on those computers (see the module's README, "HTTPS").
EOF
exit 0
