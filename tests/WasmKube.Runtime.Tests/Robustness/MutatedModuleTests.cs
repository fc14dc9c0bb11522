using Xunit.Abstractions;

namespace WasmKube.Runtime.Tests.Robustness;

/// <summary>
/// Feeds truncated and corrupted variants of the spec suite's valid modules to the whole compile pipeline: bad bytes
/// may only ever produce <see cref="MalformedModuleException"/> or <see cref="InvalidModuleException"/>, never an
/// internal exception (index out of range, null reference, overflow, invalid program) or a crash.
/// </summary>
public sealed class MutatedModuleTests(ITestOutputHelper output)
{
    private const int Seed = 20_261_121;
    private const int VariantsPerModule = 12;

    private static readonly string[] Scripts =
    [
        "binary", "block", "br_table", "bulk", "call_indirect", "custom", "data", "elem", "exports", "func",
        "global", "if", "imports", "local_tee", "loop", "memory", "memory_grow", "names", "ref_func", "select",
        "simd_const", "simd_lane", "simd_load", "start", "table_copy", "table_init", "unreached-valid", "conversions",
    ];

    [SpecSuiteFact]
    public void CorruptedModulesFailOnlyWithModuleErrors()
    {
        var work = Directory.CreateTempSubdirectory("wasmkube-mutations-");
        try
        {
            var valid = SpecScripts.Load(work.FullName, Scripts).Where(m => m.Command == "module").ToList();
            Assert.NotEmpty(valid);
            var engine = new Engine();
            var random = new Random(Seed);
            var outcomes = new Dictionary<string, int>();
            var failures = new List<string>();
            foreach (var module in valid)
            {
                for (var v = 0; v < VariantsPerModule; v++)
                {
                    var (variant, description) = Mutate(module.Bytes, random);
                    var outcome = Compile(engine, variant);
                    outcomes[outcome.Kind] = outcomes.GetValueOrDefault(outcome.Kind) + 1;
                    if (outcome.Unexpected is { } error && failures.Count < 20)
                    {
                        failures.Add($"{module.Script}:{module.Line} {description}: {error}");
                    }
                }
            }

            output.WriteLine($"{valid.Count} modules, {valid.Count * VariantsPerModule} variants: " +
                string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value}")));
            Assert.True(failures.Count == 0, "internal errors on bad input:\n" + string.Join("\n", failures));
            Assert.True(outcomes.GetValueOrDefault("malformed") > 0 && outcomes.GetValueOrDefault("invalid") > 0, "the mutations should reach both the decoder and the validator");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static (string Kind, string? Unexpected) Compile(Engine engine, byte[] bytes)
    {
        try
        {
            Module.FromBytes(engine, bytes);
            return ("accepted", null);
        }
        catch (MalformedModuleException)
        {
            return ("malformed", null);
        }
        catch (InvalidModuleException)
        {
            return ("invalid", null);
        }
        catch (Exception e)
        {
            return ("internal error", e.ToString());
        }
    }

    private static (byte[] Bytes, string Description) Mutate(byte[] original, Random random)
    {
        var bytes = (byte[])original.Clone();
        switch (random.Next(4))
        {
            case 0:
                var length = random.Next(bytes.Length);
                return (bytes[..length], $"truncated to {length} bytes");
            case 1:
                var position = random.Next(8, Math.Max(9, bytes.Length));
                if (position < bytes.Length)
                {
                    bytes[position] ^= (byte)random.Next(1, 256);
                }

                return (bytes, $"byte {position} flipped");
            case 2:
                var positions = new List<int>();
                for (var i = random.Next(2, 6); i > 0; i--)
                {
                    var at = random.Next(bytes.Length);
                    bytes[at] = (byte)random.Next(256);
                    positions.Add(at);
                }

                return (bytes, $"bytes {string.Join(",", positions)} replaced");
            default:
                // Continuation bits and extreme values stress LEB128 reads and counts.
                var leb = random.Next(8, Math.Max(9, bytes.Length));
                if (leb < bytes.Length)
                {
                    bytes[leb] = random.Next(2) == 0 ? (byte)0xFF : (byte)0x80;
                }

                return (bytes, $"byte {leb} set to a LEB128 continuation");
        }
    }
}
