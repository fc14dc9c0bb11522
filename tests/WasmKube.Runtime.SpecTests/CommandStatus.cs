namespace WasmKube.Runtime.SpecTests;

internal enum CommandStatus
{
    Passed,
    Failed,
    Skipped,
}
