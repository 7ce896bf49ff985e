import { jpegSize } from './jpeg-size.js';

/** A minimal JPEG header: SOI, an APP0 segment, then SOF0 (precision 8, height, width, 3 components). */
function jpeg(width: number, height: number, frameMarker = 0xc0): Buffer {
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x04, 0x00, 0x00]);
  const sof = Buffer.from([0xff, frameMarker, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, Buffer.from([0xff]), sof]);
}

describe('jpegSize', () => {
  it('reads width and height from the frame header, past other segments and fill bytes', () => {
    expect(jpegSize(jpeg(1920, 1080))).toEqual({ width: 1920, height: 1080 });
    expect(jpegSize(jpeg(240, 320, 0xc2))).toEqual({ width: 240, height: 320 }); // progressive
  });

  it('is null for what is not a JPEG or has no frame header', () => {
    expect(jpegSize(Buffer.from('not a jpeg'))).toBeNull();
    expect(jpegSize(Buffer.from([0xff, 0xd8, 0xff, 0xd9]))).toBeNull();
    expect(jpegSize(jpeg(10, 10).subarray(0, 12))).toBeNull();
  });
});
