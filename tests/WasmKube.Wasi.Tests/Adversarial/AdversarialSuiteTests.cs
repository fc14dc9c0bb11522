using System.Text;
using WasmKube.Wasi.Abi;

namespace WasmKube.Wasi.Tests.Adversarial;

/// <summary>
/// The adversarial suite: every case of <see cref="ProbeCases"/> runs a real guest (Guests/probe.c) in both path
/// resolution modes (openat2, and the walk forced) on every engine of <see cref="GuestRunners"/>. Each run must give
/// the expected errno for every command, leak nothing of the outside (content, names, inodes) into what the guest
/// learned, and leave everything outside the writable preopen exactly as it was.
/// </summary>
public sealed class AdversarialSuiteTests(ProbeGuest probe) : IClassFixture<ProbeGuest>
{
    public const string Openat2 = "openat2";
    public const string Walk = "walk";

    public static TheoryData<string, string, string> Runs()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var name in ProbeCases.Names)
        {
            foreach (var mode in new[] { Openat2, Walk })
            {
                foreach (var runner in GuestRunners.All) data.Add(name, mode, runner.Name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void Nothing_outside_the_preopens_is_reached(string caseName, string mode, string runner)
    {
        using var tree = new SandboxTree();
        var probeCase = ProbeCases.Create(caseName, tree);
        probeCase.Setup?.Invoke(tree);
        var before = tree.Snapshot();
        var outsideInodes = tree.OutsideInodes();
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var diagnostics = new StringWriter();
        int exitCode;
        using (var context = tree.Configuration(useOpenat2: mode == Openat2)
                   .WithArgs(["probe", .. probeCase.Steps.Select(s => s.Command)])
                   .WithStdout(WasiStdio.Stream(stdout))
                   .WithStderr(WasiStdio.Stream(stderr))
                   .Build())
        {
            Assert.Equal(mode == Openat2, context.KernelEnforcedPaths);
            using var stop = new CancellationTokenSource();
            var host = probeCase.DuringRun is { } during ? new Thread(() => during(tree, stop.Token)) : null;
            host?.Start();
            try
            {
                exitCode = GuestRunners.Named(runner).Run(probe.ModulePath, context, diagnostics);
            }
            finally
            {
                stop.Cancel();
                host?.Join();
            }
        }

        var transcript = new ProbeTranscript(Encoding.UTF8.GetString(stdout.ToArray()));
        var failures = new List<string>();
        var trapped = diagnostics.ToString();
        if (probeCase.TrapsAtTheEnd)
        {
            if (exitCode != WasmKube.Guest.GuestExitCodes.Trapped || !trapped.Contains("out of bounds"))
                failures.Add($"expected a clean out-of-bounds trap, got exit {exitCode}: {trapped}");
            if (trapped.Contains("caused by"))
                failures.Add($"a host exception surfaced: {trapped}");
        }
        else if (exitCode != 0)
        {
            failures.Add($"the probe exited with {exitCode}: {trapped}{Encoding.UTF8.GetString(stderr.ToArray())}");
        }

        for (var i = 0; i < probeCase.Steps.Count; i++)
        {
            var (command, expected) = probeCase.Steps[i];
            var got = transcript.Results.TryGetValue(i + 1, out var error) ? error : (Errno?)null;
            var shown = command.Length > 100 ? command[..100] + "…" : command;
            if (expected.Length == 0 && got is not null) failures.Add($"#{i + 1} {shown}: returned {got}, expected a trap");
            if (expected.Length > 0 && (got is null || !expected.Contains(got.Value)))
                failures.Add($"#{i + 1} {shown}: {got?.ToString() ?? "no result"}, expected {string.Join(" or ", expected)}");
        }

        foreach (var (command, text) in transcript.Learned)
        {
            var inode = text.StartsWith("inode ") && ulong.TryParse(text[6..], out var number) ? number : 0;
            if (text.Contains(SandboxTree.Secret) || text.StartsWith("entry outside") || outsideInodes.Contains(inode))
                failures.Add($"#{command} {probeCase.Steps[command - 1].Command} leaked: {text}");
        }

        var after = tree.Snapshot();
        foreach (var path in before.Keys.Union(after.Keys).Order())
        {
            var was = before.GetValueOrDefault(path);
            var now = after.GetValueOrDefault(path);
            if (was != now) failures.Add($"outside the preopen, {path} changed: {was ?? "(absent)"} => {now ?? "(absent)"}");
        }

        Assert.True(failures.Count == 0, $"{caseName} ({mode}, {runner}):\n{string.Join('\n', failures)}");
        probeCase.Check?.Invoke(tree, transcript);
    }
}
