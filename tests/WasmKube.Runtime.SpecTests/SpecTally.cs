namespace WasmKube.Runtime.SpecTests;

/// <summary>Totals over every script that ran on one engine; safe to add to from tests running in parallel.</summary>
internal sealed class SpecTally(string label)
{
    private int _files;
    private int _passed;
    private int _failed;
    private int _skipped;
    private int _messagesChecked;
    private int _messagesMatched;

    public void Add(ScriptReport report)
    {
        Interlocked.Increment(ref _files);
        Interlocked.Add(ref _passed, report.Passed);
        Interlocked.Add(ref _failed, report.Failed);
        Interlocked.Add(ref _skipped, report.Skipped);
        Interlocked.Add(ref _messagesChecked, report.MessagesChecked);
        Interlocked.Add(ref _messagesMatched, report.MessagesMatched);
    }

    /// <summary>Files that could not be converted or run at all still count as files.</summary>
    public void AddBrokenFile() => Interlocked.Increment(ref _files);

    public bool Ran => Volatile.Read(ref _files) > 0;

    /// <summary>"LABEL: N files, ...", e.g. "spec: 146 files, 60000 commands passed, 0 failed, 300 skipped".</summary>
    public string SummaryLine =>
        $"{label}: {Volatile.Read(ref _files)} files, {Volatile.Read(ref _passed)} commands passed, {Volatile.Read(ref _failed)} failed, {Volatile.Read(ref _skipped)} skipped";

    public string MessageLine =>
        $"spec error texts (informational): {Volatile.Read(ref _messagesMatched)} of {Volatile.Read(ref _messagesChecked)} matched the spec's wording";
}
