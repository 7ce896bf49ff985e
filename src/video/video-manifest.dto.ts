import { ApiProperty, ApiSchema } from '@nestjs/swagger';

@ApiSchema({ description: 'The uploaded video, as ffprobe read it' })
export class VideoSourceDto {
  @ApiProperty() codec!: string;
  @ApiProperty({ type: 'integer' }) width!: number;
  @ApiProperty({ type: 'integer' }) height!: number;
  @ApiProperty() durationSeconds!: number;
  @ApiProperty({ type: 'integer' }) sizeBytes!: number;
}

@ApiSchema({ description: 'One transcoded rendition' })
export class VideoRenditionDto {
  @ApiProperty({ examples: ['240p.mp4'] }) name!: string;
  @ApiProperty({ enum: ['mp4', 'webm'] }) format!: string;
  @ApiProperty({ examples: ['h264', 'vp9'] }) codec!: string;
  @ApiProperty({ type: 'integer' }) width!: number;
  @ApiProperty({ type: 'integer' }) height!: number;
  @ApiProperty({ type: 'integer' }) sizeBytes!: number;
  @ApiProperty() durationSeconds!: number;
  @ApiProperty({ type: 'integer', nullable: true, description: 'Bits per second' }) bitrate!: number | null;
  @ApiProperty({ format: 'uri-reference', description: 'GET /jobs/{id}/result/files/{name}' }) url!: string;
}

@ApiSchema({ description: 'The poster frame (JPEG)' })
export class VideoPosterDto {
  @ApiProperty() name!: string;
  @ApiProperty({ type: 'integer' }) width!: number;
  @ApiProperty({ type: 'integer' }) height!: number;
  @ApiProperty({ type: 'integer' }) sizeBytes!: number;
  @ApiProperty({ format: 'uri-reference' }) url!: string;
}

@ApiSchema({ description: 'The result of a `video.transcode` job' })
export class VideoManifestDto {
  @ApiProperty({ format: 'uuid' }) uploadId!: string;
  @ApiProperty({ type: VideoSourceDto }) source!: VideoSourceDto;
  @ApiProperty({ type: [VideoRenditionDto] }) renditions!: VideoRenditionDto[];
  @ApiProperty({ type: VideoPosterDto, nullable: true }) poster!: VideoPosterDto | null;
}
