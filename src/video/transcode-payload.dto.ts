import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsDivisibleBy, IsIn, IsInt, IsUUID, Max, Min, ValidateNested } from 'class-validator';
import { Optional } from '../common/validation/optional.js';

export const VIDEO_FORMATS = ['mp4', 'webm'] as const;
export type VideoFormat = (typeof VIDEO_FORMATS)[number];

@ApiSchema({ description: 'One output of a `video.transcode` job: scaled to `height` (width keeps the aspect ratio)' })
export class RenditionDto {
  @ApiProperty({ type: 'integer', minimum: 16, maximum: 4320, multipleOf: 2, description: 'Height in pixels (even)' })
  @IsInt()
  @IsDivisibleBy(2)
  @Min(16)
  @Max(4320)
  height!: number;

  @ApiProperty({ enum: VIDEO_FORMATS, description: 'mp4: H.264 + AAC; webm: VP9 + Opus' })
  @IsIn(VIDEO_FORMATS)
  format!: VideoFormat;
}

@ApiSchema({ description: 'The payload of a `video.transcode` job' })
export class TranscodePayloadDto {
  @ApiProperty({ format: 'uuid', description: 'A finished tus upload of the caller’s tenant (the last segment of its /uploads URL)' })
  @IsUUID()
  uploadId!: string;

  @ApiProperty({ type: [RenditionDto], minItems: 1, maxItems: 8 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(8)
  @ArrayUnique((rendition: RenditionDto) => `${rendition?.height}/${rendition?.format}`, { message: 'renditions must differ in height or format' })
  @ValidateNested({ each: true })
  @Type(() => RenditionDto)
  renditions!: RenditionDto[];

  @ApiPropertyOptional({ default: true, description: 'Also extract a JPEG poster frame' })
  @Optional()
  @IsBoolean()
  poster?: boolean;
}
