using System.Security.Cryptography;
using System.Text;
using Xunit.Abstractions;

namespace WasmKube.Runtime.SpecTests.Differential;

/// <summary>
/// The project's engine against Wasmtime, per .wast file of the spec suite: <see cref="Invocations"/> replays the
/// script's modules and invocations on both and compares results bit for bit and trap kinds; <see cref="Mutants"/>
/// runs deterministic mutations of the script's modules through both under fuel and compares outcome classes and
/// results. A difference fails the test unless <see cref="DocumentedDifferences"/> explains it.
/// </summary>
[Collection(SpecSuiteCollection.Name)]
[TestCaseOrderer(ScriptOrderer.TypeName, ScriptOrderer.AssemblyName)]
public sealed class DifferentialTests(SpecSuiteFixture fixture, ITestOutputHelper output)
{
    /// <summary>Fixed so that every run builds the same corpus; a disagreement names its mutant by file and number.</summary>
    private const int Seed = 20_260_101;
    /// <summary>CI-sized by default; WASMKUBE_MUTANTS_PER_SCRIPT raises it for a longer hunt (the first 25 stay the same).</summary>
    private const string MutantsVariable = "WASMKUBE_MUTANTS_PER_SCRIPT";
    private const int DefaultMutantsPerScript = 25;
    private const int ListedDisagreements = 40;

    // Deep recursion (assert_exhaustion on our engine) needs more than a default thread stack.
    private const int StackBytes = 256 * 1024 * 1024;
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(3);

    [Theory]
    [SpecScripts]
    public async Task Invocations(string file)
    {
        var script = await LoadAsync(file);
        var replay = new ScriptReplay(fixture.WasmKube, fixture.Wasmtime, script, fixture.DifferentialTally);
        var disagreements = await OnBigStackAsync($"replaying {file}", replay.Run);
        replay.Documented.Take(ListedDisagreements).ToList().ForEach(output.WriteLine);
        Report(file, disagreements);
    }

    [Theory]
    [SpecScripts]
    public async Task Mutants(string file)
    {
        var script = await LoadAsync(file);
        var seeds = script.Commands
            .Where(c => c.Type == "module" && !c.IsTextModule && c.FileName is not null)
            .Select(c => File.ReadAllBytes(Path.Combine(script.Directory, c.FileName!)))
            .ToList();
        if (seeds.Count == 0)
        {
            output.WriteLine($"{file}: no binary modules to mutate");
            return;
        }

        var random = new Random(Seed ^ StableHash(file));
        var mutants = Enumerable.Range(0, MutantsPerScript())
            .Select(i => (Number: i, Seed: i % seeds.Count, Mutation: Mutator.Mutate(seeds[i % seeds.Count], random)))
            .ToList();
        var documented = new List<string>();
        var disagreements = await OnBigStackAsync($"mutants of {file}", () =>
        {
            var found = new List<string>();
            foreach (var (number, seed, (bytes, how)) in mutants)
            {
                fixture.DifferentialTally.AddMutant();
                if (MutantRun.Compare(fixture.FuelledWasmKube, fixture.FuelledWasmtime, bytes, fixture.DifferentialTally) is not { } difference)
                {
                    continue;
                }

                fixture.DifferentialTally.Add(difference.Verdict);
                var line = $"{file} mutant {number} (module {seed}, {how}; sha256 {Hash(bytes)}): {difference.Step}: {difference.Verdict.Class}: " +
                    $"wasmkube {difference.Ours}, wasmtime {difference.Theirs}";
                if (difference.Verdict.Agreement == Agreement.Disagreement)
                {
                    found.Add($"{line}\n    bytes: {Convert.ToBase64String(bytes)}");
                }
                else
                {
                    documented.Add($"documented ({difference.Verdict.Reason}): {line}");
                }
            }

            return found;
        });
        output.WriteLine($"{file}: {mutants.Count} mutants of {seeds.Count} modules");
        documented.ForEach(output.WriteLine);
        Report(file, disagreements);
    }

    private static int MutantsPerScript() =>
        Environment.GetEnvironmentVariable(MutantsVariable) is { Length: > 0 } text
            ? int.TryParse(text, out var count) && count > 0 ? count : throw new InvalidOperationException($"{MutantsVariable} must be a positive whole number, not \"{text}\"")
            : DefaultMutantsPerScript;

    private async Task<SpecScript> LoadAsync(string file)
    {
        var converter = fixture.Converter ?? throw new InvalidOperationException(fixture.Location.MissingReason);
        try
        {
            return SpecScript.Load(file, await converter.ConvertAsync(file));
        }
        finally
        {
            converter.Release(file);
        }
    }

    private void Report(string file, List<string> disagreements)
    {
        foreach (var line in disagreements.Take(ListedDisagreements))
        {
            output.WriteLine(line);
        }

        if (disagreements.Count > 0)
        {
            Assert.Fail($"{file}: {disagreements.Count} undocumented disagreements between the engines:\n{string.Join('\n', disagreements.Take(ListedDisagreements))}");
        }
    }

    private static async Task<T> OnBigStackAsync<T>(string what, Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(
            () =>
            {
                try
                {
                    done.TrySetResult(work());
                }
                catch (Exception e)
                {
                    done.TrySetException(e);
                }
            },
            StackBytes)
        {
            IsBackground = true,
            Name = what,
        };
        thread.Start();
        if (await Task.WhenAny(done.Task, Task.Delay(ScriptTimeout)) != done.Task)
        {
            throw new TimeoutException($"{what} did not finish within {ScriptTimeout.TotalMinutes:0} minutes");
        }

        return await done.Task;
    }

    /// <summary>FNV-1a: string.GetHashCode differs between processes, and the corpus must not.</summary>
    private static int StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)hash;
    }

    private static string Hash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes))[..16];
}
