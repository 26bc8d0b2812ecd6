/**
 * CRC-32 (IEEE 802.3, the zlib/PNG/ZIP polynomial 0xEDB88320, reflected), table-driven.
 * The map file stores one over its header and sections so damage is caught before parsing.
 */
let crcTable: Int32Array | null = null;

function table(): Int32Array {
  if (crcTable === null) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  return crcTable;
}

/**
 * CRC-32 of `bytes` as an unsigned 32-bit integer. Pass a previous result as `crc` to continue
 * over data that arrives in pieces: crc32(b, crc32(a)) === crc32(a ‖ b).
 */
export function crc32(bytes: Uint8Array, crc = 0): number {
  const t = table();
  let c = ~crc;
  for (let i = 0; i < bytes.length; i++) c = t[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}
