// Effective client address and host (SPEC §4.5): X-Forwarded-* count only from trusted proxies, and a request that
// carries X-Forwarded-For from an untrusted peer is never local (§10.3).
import { BlockList, isIPv6 } from 'node:net';
import type { IncomingMessage } from 'node:http';

export interface ClientInfo {
  ip: string;
  /** The peer is a trusted proxy (or no trust list is set, for the forwarded host/proto rule). */
  forwardedHonoured: boolean;
  /** X-Forwarded-For was sent by a peer we do not trust. */
  untrustedForward: boolean;
}

export class ProxyTrust {
  private readonly list: BlockList | null;

  constructor(cidrs: string[], warn: (m: string) => void) {
    if (!cidrs.length) {
      this.list = null;
      return;
    }
    this.list = new BlockList();
    for (const c of cidrs) {
      const [addr, bits] = c.split('/');
      try {
        const type = isIPv6(addr ?? '') ? 'ipv6' : 'ipv4';
        if (bits === undefined) this.list.addAddress(addr!, type);
        else this.list.addSubnet(addr!, Number(bits), type);
      } catch {
        warn(`FN_TRUSTED_PROXY_CIDRS: invalid CIDR ${c}; ignored`);
      }
    }
  }

  trusts(ip: string): boolean {
    if (!this.list) return false;
    return this.list.check(ip, isIPv6(ip) ? 'ipv6' : 'ipv4');
  }

  client(req: IncomingMessage): ClientInfo {
    const peer = plainIp(req.socket.remoteAddress ?? '');
    const xff = req.headers['x-forwarded-for'];
    const trustedPeer = this.trusts(peer);
    if (xff === undefined) return { ip: peer, forwardedHonoured: this.list === null || trustedPeer, untrustedForward: false };
    if (!trustedPeer) return { ip: peer, forwardedHonoured: this.list === null, untrustedForward: true };
    const hops = (Array.isArray(xff) ? xff.join(',') : xff)
      .split(',')
      .map((s) => plainIp(s.trim()))
      .filter(Boolean);
    for (let i = hops.length - 1; i >= 0; i--) if (!this.trusts(hops[i]!)) return { ip: hops[i]!, forwardedHonoured: true, untrustedForward: false };
    return { ip: hops[0] ?? peer, forwardedHonoured: true, untrustedForward: false };
  }
}

export function plainIp(ip: string): string {
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

/** The host used by allow-lists: X-Forwarded-Host when honoured, else Host; lower-cased. */
export function effectiveHost(req: IncomingMessage, honoured: boolean): string {
  const fwd = honoured ? req.headers['x-forwarded-host'] : undefined;
  const raw = (Array.isArray(fwd) ? fwd[0] : fwd)?.split(',')[0]?.trim() || req.headers.host || '';
  return raw.toLowerCase();
}
