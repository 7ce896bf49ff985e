package dev.longhaul.contract;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.longhaul.client.ApiClient;
import dev.longhaul.client.ApiException;
import dev.longhaul.client.api.JobsApi;
import dev.longhaul.client.api.ReportsApi;
import dev.longhaul.client.model.ActivityReport;
import dev.longhaul.client.model.JobAccepted;
import dev.longhaul.client.model.JobStatus;
import dev.longhaul.client.model.JobStatusView;
import dev.longhaul.client.model.JobSubmission;
import dev.longhaul.client.model.ReportRequest;
import dev.longhaul.client.model.SleepJobSubmission;
import dev.longhaul.client.model.SleepPayload;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What an integrator would write against the Java client OpenAPI Generator makes from docs/openapi.json:
 * submit, poll the status until the job is finished, fetch the result, using generated methods only.
 * Prints what it got as JSON; test/generated-clients.e2e-spec.ts checks it.
 */
public final class PollJob {
  private static final Set<JobStatus> FINISHED = EnumSet.of(JobStatus.COMPLETED, JobStatus.DEAD, JobStatus.CANCELLED);

  private PollJob() {}

  private static JobStatusView pollUntilFinished(JobsApi jobs, UUID id) throws ApiException, InterruptedException {
    for (;;) {
      JobStatusView status = jobs.getJobStatus(id);
      if (FINISHED.contains(status.getStatus())) {
        return status;
      }
      Thread.sleep(100);
    }
  }

  public static void main(String[] args) throws Exception {
    ApiClient client = new ApiClient();
    URI base = URI.create(args.length > 0 ? args[0] : "http://127.0.0.1:3000");
    client.updateBaseUri(base.toString());
    JobsApi jobs = new JobsApi(client);
    ReportsApi reports = new ReportsApi(client);

    SleepPayload payload = new SleepPayload().ms(300).steps(3).result(Map.of("from", "java"));
    JobAccepted accepted = jobs.submitJob(new JobSubmission(new SleepJobSubmission().type(SleepJobSubmission.TypeEnum.SLEEP).payload(payload)), null, null);
    JobStatusView status = pollUntilFinished(jobs, accepted.getJobId());
    Object result = jobs.getJobResult(accepted.getJobId());

    OffsetDateTime now = OffsetDateTime.now();
    JobAccepted report = reports.requestReport(new ReportRequest().from(now.minusHours(1)).to(now.plusMinutes(1)), null, null);
    JobStatusView reportStatus = pollUntilFinished(jobs, report.getJobId());
    ActivityReport activity = reports.getReportResult(report.getJobId());

    Map<String, Object> out = new LinkedHashMap<>();
    out.put("jobId", accepted.getJobId().toString());
    out.put("status", status.getStatus().getValue());
    out.put("resultUrl", status.getResultUrl());
    out.put("result", result);
    out.put("reportStatus", reportStatus.getStatus().getValue());
    out.put("reportTotal", activity.getTotals().getTotal());
    out.put("groupBy", activity.getGroupBy().getValue());
    System.out.println(new ObjectMapper().writeValueAsString(out));
  }
}
