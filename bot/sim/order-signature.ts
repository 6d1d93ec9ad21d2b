/**
 * V2 signed-order verification (reference §3.4): rebuild the EIP-712 `Order` struct from the wire body, compute
 * the order hash (the venue's order id) and recover the signer under the CTF Exchange V2 domain.
 *
 * Domains: "v1" markets (CLOB V2) sign under version "2" / CTF Exchange V2; Protocol V2 ("v2") markets under
 * version "3" / ExchangeV3. An order signed for the other domain is an `order_version_mismatch`.
 * Invariant: an order is authentic only if the recovered address equals `signer` (and, for EOA signature type 0,
 * `maker` equals `signer`). Pure apart from the elliptic-curve maths.
 */
import { hashTypedData, recoverTypedDataAddress } from 'viem';
import type { SignedOrderV2Wire } from '../protocol/clob-rest';

export const CTF_EXCHANGE_V2 = '0xE111180000d2663C0091e4f400237545B87B996B';
export const EXCHANGE_V3 = '0xe3333700cA9d93003F00f0F71f8515005F6c00Aa';
export type MarketVersion = 'v1' | 'v2';
const DOMAIN: Record<MarketVersion, { version: string; verifyingContract: `0x${string}` }> = {
  v1: { version: '2', verifyingContract: CTF_EXCHANGE_V2 },
  v2: { version: '3', verifyingContract: EXCHANGE_V3 },
};

const ORDER_TYPES = {
  Order: [
    { name: 'salt', type: 'uint256' },
    { name: 'maker', type: 'address' },
    { name: 'signer', type: 'address' },
    { name: 'tokenId', type: 'uint256' },
    { name: 'makerAmount', type: 'uint256' },
    { name: 'takerAmount', type: 'uint256' },
    { name: 'side', type: 'uint8' },
    { name: 'signatureType', type: 'uint8' },
    { name: 'timestamp', type: 'uint256' },
    { name: 'metadata', type: 'bytes32' },
    { name: 'builder', type: 'bytes32' },
  ],
} as const;

function typedData(o: SignedOrderV2Wire, chainId: number, mv: MarketVersion) {
  return {
    domain: { name: 'Polymarket CTF Exchange', chainId, ...DOMAIN[mv] },
    types: ORDER_TYPES,
    primaryType: 'Order' as const,
    message: {
      salt: BigInt(o.salt),
      maker: o.maker as `0x${string}`,
      signer: o.signer as `0x${string}`,
      tokenId: BigInt(o.tokenId),
      makerAmount: BigInt(o.makerAmount),
      takerAmount: BigInt(o.takerAmount),
      side: o.side === 'BUY' ? 0 : 1,
      signatureType: o.signatureType,
      timestamp: BigInt(o.timestamp),
      metadata: o.metadata as `0x${string}`,
      builder: o.builder as `0x${string}`,
    },
  };
}

export function orderHash(o: SignedOrderV2Wire, mv: MarketVersion = 'v1', chainId = 137): string {
  return hashTypedData(typedData(o, chainId, mv));
}

async function recovers(o: SignedOrderV2Wire, chainId: number, mv: MarketVersion): Promise<boolean> {
  try {
    const rec = await recoverTypedDataAddress({ ...typedData(o, chainId, mv), signature: o.signature as `0x${string}` });
    return rec.toLowerCase() === o.signer.toLowerCase();
  } catch {
    return false;
  }
}

/** 'ok', 'version_mismatch' (valid for the other exchange domain) or 'invalid'. */
export async function verifyOrderSignature(o: SignedOrderV2Wire, mv: MarketVersion = 'v1', chainId = 137): Promise<'ok' | 'version_mismatch' | 'invalid'> {
  if (o.signatureType === 3) return 'invalid';
  if (o.signatureType === 0 && o.maker.toLowerCase() !== o.signer.toLowerCase()) return 'invalid';
  if (await recovers(o, chainId, mv)) return 'ok';
  return (await recovers(o, chainId, mv === 'v1' ? 'v2' : 'v1')) ? 'version_mismatch' : 'invalid';
}
