import { Global, Module } from '@nestjs/common';
import { AutoscalingGauges } from './autoscaling-gauges.js';
import { BacklogRepository } from './backlog.repository.js';
import { JobMetricsListener } from './job-metrics.listener.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';

/** Prometheus metrics at /metrics; MetricsService is global so any module can register instruments. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [MetricsService, JobMetricsListener, BacklogRepository, AutoscalingGauges],
  exports: [MetricsService],
})
export class MetricsModule {}
