// Note: OpenTelemetry's listeners (AddMeter("ScopeClaims*"), AddSource("ScopeClaims*")) hear every ScopeClaims meter and
// activity source in the process, not only the host under test; run one test at a time, so no test's exporter collects
// another test's measurements or spans.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
