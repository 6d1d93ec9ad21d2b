/**
 * V2 signed-order verification (reference §3.4): rebuild the EIP-712 `Order` struct from the wire body, compute
 * the order hash (the venue's order id) and recover the signer under the CTF Exchange V2 domain.
 *
 * Invariant: an order is authentic only if the recovered address equals `signer` (and, for EOA signature type 0,
 * `maker` equals `signer`). Pure apart from the elliptic-curve maths.
 */
import { hashTypedData, recoverTypedDataAddress } from 'viem';
import type { SignedOrderV2Wire } from '../protocol/clob-rest';

export const CTF_EXCHANGE_V2 = '0xE111180000d2663C0091e4f400237545B87B996B';

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

function typedData(o: SignedOrderV2Wire, chainId: number) {
  return {
    domain: { name: 'Polymarket CTF Exchange', version: '2', chainId, verifyingContract: CTF_EXCHANGE_V2 as `0x${string}` },
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

export function orderHash(o: SignedOrderV2Wire, chainId = 137): string {
  return hashTypedData(typedData(o, chainId));
}

export async function verifyOrderSignature(o: SignedOrderV2Wire, chainId = 137): Promise<boolean> {
  if (o.signatureType === 3) return false;
  if (o.signatureType === 0 && o.maker.toLowerCase() !== o.signer.toLowerCase()) return false;
  try {
    const rec = await recoverTypedDataAddress({ ...typedData(o, chainId), signature: o.signature as `0x${string}` });
    return rec.toLowerCase() === o.signer.toLowerCase();
  } catch {
    return false;
  }
}
