import { readFileSync } from 'node:fs';

/** "0100007F" (little-endian hex from /proc/net/tcp) → "127.0.0.1"; IPv6 as its 32 hex digits. */
function decode(hex: string): string {
  if (hex.length === 8) return [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.');
  return hex === '00000000000000000000000000000000'
    ? '::'
    : hex === '00000000000000000000000001000000'
      ? '::1'
      : hex;
}

/**
 * The local addresses on which some process listens on TCP `port`, read
 * from the kernel's socket tables: what actually is bound, whatever a log
 * line or a URL says.
 */
export function listeningAddresses(port: number): string[] {
  const addresses: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (!local || state !== '0A') continue; // 0A: LISTEN
      const [address, portHex] = local.split(':');
      if (parseInt(portHex!, 16) === port) addresses.push(decode(address!));
    }
  }
  return addresses;
}
