import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';

export const BLOB_MAX_BYTES = 1024 * 1024 * 1024;

export class BlobPayloadDto {
  @ApiProperty({ minimum: 0, maximum: BLOB_MAX_BYTES, description: 'Size of the generated result in bytes' })
  @IsInt()
  @Min(0)
  @Max(BLOB_MAX_BYTES)
  sizeBytes!: number;
}
