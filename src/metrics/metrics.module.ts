import { Global, Module } from '@nestjs/common';
import { JobMetricsListener } from './job-metrics.listener.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';

/** Prometheus metrics at /metrics; MetricsService is global so any module can register instruments. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [MetricsService, JobMetricsListener],
  exports: [MetricsService],
})
export class MetricsModule {}
