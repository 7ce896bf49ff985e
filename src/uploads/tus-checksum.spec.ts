import { parseChecksumHeader } from './tus-checksum.js';

describe('Upload-Checksum header', () => {
  it('reads "<algorithm> <base64 digest>" for the algorithms offered, in any case', () => {
    expect(parseChecksumHeader('sha1 Kq5sNclPz7QV2+lfQIuc6R7oRu0=')).toEqual({ algorithm: 'sha1', digest: Buffer.from('Kq5sNclPz7QV2+lfQIuc6R7oRu0=', 'base64') });
    expect(parseChecksumHeader(' SHA256 AAAA ')?.algorithm).toBe('sha256');
  });

  it.each(['crc32 AAAA', 'sha1', 'sha1  AAAA', 'sha1 not*base64', '', 'sha1 AAAA extra'])('refuses %j', (value) => {
    expect(parseChecksumHeader(value)).toBeNull();
  });
});
