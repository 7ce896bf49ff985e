import { isUploadId, newUploadId, uploadKey } from './upload-keys.js';

describe('upload keys', () => {
  it('gives each tenant its own key for the same id', () => {
    const id = newUploadId();
    expect(uploadKey('uploads/', 'acme', id)).toBe(`uploads/acme_${id}`);
    expect(uploadKey('uploads/', 'acme', id)).not.toBe(uploadKey('uploads/', 'globex', id));
  });

  it('accepts only UUIDs as upload ids', () => {
    expect(isUploadId(newUploadId())).toBe(true);
    expect(isUploadId('../etc/passwd')).toBe(false);
    expect(isUploadId('acme_0b4f0e0c-3d3b-4a8e-9c39-2f3f0f3f0f3f')).toBe(false);
  });
});
