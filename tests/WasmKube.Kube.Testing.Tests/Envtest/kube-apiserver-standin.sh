#!/usr/bin/env bash
# Stand-in for kube-apiserver in EnvtestControlPlaneTests, because kube-apiserver cannot be installed on the build
# machines. Linked as <assets>/kube-apiserver, it checks the flags EnvtestControlPlane passes (all in --name=value
# form), that the key files exist, that the token file grants system:masters and that etcd answers on --etcd-servers,
# then becomes (exec, same pid) the standalone test API server serving the given certificate on the given port and
# accepting the token of the token file. Any failed check exits with code 2 and says why on stderr.
set -euo pipefail

fail() { echo "kube-apiserver stand-in: $*" >&2; exit 2; }

declare -A flag
for arg in "$@"; do
  [[ "$arg" == --*=* ]] || fail "expected --name=value arguments, got '$arg'"
  name="${arg%%=*}"
  flag["${name#--}"]="${arg#*=}"
done

for name in etcd-servers bind-address secure-port cert-dir tls-cert-file tls-private-key-file token-auth-file \
    authorization-mode service-account-issuer service-account-key-file service-account-signing-key-file \
    service-cluster-ip-range allow-privileged disable-admission-plugins; do
  [[ -n "${flag[$name]:-}" ]] || fail "missing --$name"
done
[[ "${flag[bind-address]}" == 127.0.0.1 ]] || fail "--bind-address is '${flag[bind-address]}', expected 127.0.0.1"
[[ "${flag[authorization-mode]}" == RBAC ]] || fail "--authorization-mode is '${flag[authorization-mode]}', expected RBAC"
[[ "${flag[service-cluster-ip-range]}" == 10.0.0.0/24 ]] || fail "unexpected --service-cluster-ip-range '${flag[service-cluster-ip-range]}'"
[[ "${flag[allow-privileged]}" == true ]] || fail "--allow-privileged is not true"
[[ "${flag[disable-admission-plugins]}" == *ServiceAccount* ]] || fail "--disable-admission-plugins lacks ServiceAccount"
[[ "${flag[service-account-issuer]}" == https://* ]] || fail "--service-account-issuer is not an https URL"
[[ -d "${flag[cert-dir]}" ]] || fail "--cert-dir ${flag[cert-dir]} is not a directory"
grep -q "BEGIN CERTIFICATE" "${flag[tls-cert-file]}" || fail "--tls-cert-file holds no PEM certificate"
grep -q "PRIVATE KEY" "${flag[tls-private-key-file]}" || fail "--tls-private-key-file holds no PEM private key"
grep -q "BEGIN PUBLIC KEY" "${flag[service-account-key-file]}" || fail "--service-account-key-file holds no PEM public key"
grep -q "BEGIN RSA PRIVATE KEY" "${flag[service-account-signing-key-file]}" || fail "--service-account-signing-key-file holds no RSA private key"

# Static token file line: token,user,uid,"group1,group2"
IFS=, read -r token user _ groups < "${flag[token-auth-file]}"
[[ -n "$token" && -n "$user" ]] || fail "the token file has no token,user line"
[[ "$groups" == *system:masters* ]] || fail "the token file does not put $user in system:masters"

health="$(curl -fsS --max-time 5 "${flag[etcd-servers]}/health")" || fail "etcd does not answer at ${flag[etcd-servers]}/health"
[[ "$health" == *'"health":"true"'* ]] || fail "etcd at ${flag[etcd-servers]} is unhealthy: $health"

# The test API server's dll is copied next to the test assembly, one level above this script.
here="$(dirname "$(readlink -f "$0")")"
exec "${DOTNET_HOST_PATH:-dotnet}" "$here/../WasmKube.Kube.Testing.dll" --port "${flag[secure-port]}" \
  --tls-cert-file "${flag[tls-cert-file]}" --tls-private-key-file "${flag[tls-private-key-file]}" --token "$token"
