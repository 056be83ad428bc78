#!/bin/sh
# SPDX-License-Identifier: MIT
#
# make_ca.sh DIR: throwaway TLS material for the API emulator's tests.
#
#   DIR/ca.pem, ca.key              a test CA
#   DIR/server.pem, server.key      a server certificate it signed, valid for
#                                   IP 127.0.0.1 and DNS localhost
#   DIR/other-ca.pem, other-ca.key  an unrelated CA, for the wrong-CA test
#
# EC P-256 keys, so it takes a few milliseconds.
set -eu

if [ $# -ne 1 ]; then
    echo "usage: make_ca.sh DIR" >&2
    exit 2
fi
dir=$1
mkdir -p "$dir"
cd "$dir"

# Run openssl, showing its chatter only when it fails.
quiet() {
    if ! openssl "$@" >openssl.log 2>&1; then
        cat openssl.log >&2
        exit 1
    fi
}

# A self-signed CA certificate: make_ca NAME SUBJECT.
make_ca() {
    quiet req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
        -nodes -keyout "$1.key" -out "$1.pem" -days 365 -subj "$2" \
        -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign"
}

make_ca ca "/CN=ipxekit emulator test CA"
make_ca other-ca "/CN=ipxekit unrelated test CA"

cat > server.ext <<'EXT'
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, DNS:localhost
EXT
quiet req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout server.key -out server.csr -subj "/CN=localhost"
quiet x509 -req -in server.csr -CA ca.pem -CAkey ca.key -set_serial 1 \
    -days 365 -extfile server.ext -out server.pem
rm -f server.csr server.ext openssl.log
chmod 600 ca.key other-ca.key server.key
