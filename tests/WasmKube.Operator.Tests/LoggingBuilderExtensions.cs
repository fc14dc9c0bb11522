using Microsoft.Extensions.Logging;

namespace WasmKube.Operator.Tests;

internal static class LoggingBuilderExtensions
{
    /// <summary>Quiet by default; WASMKUBE_TEST_LOG=Debug shows the operator's log when a test needs diagnosing.</summary>
    public static void SetMinimumLevelForTests(this ILoggingBuilder logging) =>
        logging.SetMinimumLevel(Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("WASMKUBE_TEST_LOG"), out var level) ? level : LogLevel.Warning);
}
