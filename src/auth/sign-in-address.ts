import ipaddr from 'ipaddr.js';

/**
 * The address that sign-in limits are counted against, from Express's `req.ip` (which honours TRUST_PROXY).
 * IPv4, and IPv4 mapped into IPv6 (`::ffff:192.0.2.1`, as a dual-stack socket reports it), count per address.
 * IPv6 counts per /64: one subscriber is routinely given a whole /64 or more, so counting single IPv6 addresses
 * would hand one attacker 2^64 budgets.
 */
export function signInAddress(ip: string | undefined): string {
  if (!ip || !ipaddr.isValid(ip)) return 'unknown';
  const addr = ipaddr.process(ip);
  if (addr.kind() === 'ipv4') return addr.toString();
  const parts = (addr as ipaddr.IPv6).parts;
  return `${new ipaddr.IPv6([...parts.slice(0, 4), 0, 0, 0, 0]).toString()}/64`;
}
