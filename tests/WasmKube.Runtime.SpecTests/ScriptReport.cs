namespace WasmKube.Runtime.SpecTests;

/// <summary>The results of every command of one script, in order.</summary>
internal sealed record ScriptReport(string Name, IReadOnlyList<CommandResult> Results)
{
    public int Passed => Results.Count(r => r.Status == CommandStatus.Passed);

    public int Failed => Results.Count(r => r.Status == CommandStatus.Failed);

    public int Skipped => Results.Count(r => r.Status == CommandStatus.Skipped);

    public int MessagesChecked => Results.Count(r => r.MessageMatched is not null);

    public int MessagesMatched => Results.Count(r => r.MessageMatched == true);

    public string Summary =>
        $"{Name}: {Passed} passed, {Failed} failed, {Skipped} skipped; error texts matched {MessagesMatched} of {MessagesChecked}";

    /// <summary>Every failing command, up to <paramref name="limit"/>, one a line.</summary>
    public string DescribeFailures(int limit)
    {
        var failures = Results.Where(r => r.Status == CommandStatus.Failed).ToList();
        var lines = failures.Take(limit).Select(r => "  " + r.Describe(Name));
        var more = failures.Count > limit ? [$"  ... and {failures.Count - limit} more failing commands"] : Array.Empty<string>();
        return string.Join('\n', [$"{Name}: {failures.Count} of {Results.Count} commands failed", .. lines, .. more]);
    }
}
