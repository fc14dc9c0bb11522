using WasmKube.Runtime.Binary;
using WasmKube.Runtime.Tests.Robustness;
using WasmKube.Runtime.Validation;
using Xunit.Abstractions;

namespace WasmKube.Runtime.Tests.Validation;

/// <summary>
/// Replays the module verdicts of spec scripts rich in malformed and invalid cases: valid modules pass, every
/// assert_malformed binary is rejected by the decoder and every assert_invalid module by the validator, each with
/// a reason that starts with the script's expected text (the reference interpreter's prefix rule).
/// </summary>
public sealed class SpecScriptVerdictTests(ITestOutputHelper output)
{
    private static readonly string[] Scripts =
    [
        "align", "binary", "binary-leb128", "block", "br_if", "br_table", "bulk", "call_indirect", "custom", "data",
        "elem", "exports", "func", "global", "if", "imports", "local_get", "local_set", "loop", "memory",
        "memory_init", "ref_func", "select", "simd_lane", "simd_load_splat", "start", "table_copy", "table_init",
        "unreached-invalid", "unreached-valid", "utf8-custom-section-id", "utf8-import-field",
    ];

    [SpecSuiteFact]
    public void ModulesGetTheVerdictTheSuiteExpects()
    {
        var work = Directory.CreateTempSubdirectory("wasmkube-verdicts-");
        try
        {
            var modules = SpecScripts.Load(work.FullName, Scripts);
            var acceptedTexts = AcceptedTexts(modules);
            var failures = new List<string>();
            var counts = new Dictionary<string, int>();
            foreach (var module in modules)
            {
                counts[module.Command] = counts.GetValueOrDefault(module.Command) + 1;
                var problem = Judge(module, acceptedTexts);
                if (problem is not null)
                {
                    failures.Add($"{module.Script}:{module.Line} {module.Command}: {problem}");
                }
            }

            output.WriteLine(string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}")));
            Assert.True(counts.GetValueOrDefault("assert_malformed") > 100 && counts.GetValueOrDefault("assert_invalid") > 100, "the scripts should hold many negative cases");
            Assert.True(failures.Count == 0, string.Join("\n", failures));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>
    /// wast2json encodes a few text modules the reference encoder would encode differently (e.g. <c>select (result)</c>
    /// as plain <c>select</c>), so identical bytes can carry different expected texts; any of them is accepted.
    /// </summary>
    private static Dictionary<string, HashSet<string>> AcceptedTexts(List<ScriptModule> modules)
    {
        var texts = new Dictionary<string, HashSet<string>>();
        foreach (var module in modules.Where(m => m.ExpectedText is not null))
        {
            var key = Convert.ToHexString(module.Bytes);
            if (!texts.TryGetValue(key, out var set))
            {
                texts[key] = set = [];
            }

            set.Add(module.ExpectedText!);
        }

        return texts;
    }

    private static string? Judge(ScriptModule module, Dictionary<string, HashSet<string>> acceptedTexts)
    {
        Exception? error = null;
        var decoded = false;
        try
        {
            var definition = ModuleDecoder.Decode(module.Bytes);
            decoded = true;
            Validator.Validate(definition);
        }
        catch (WasmException e)
        {
            error = e;
        }

        bool Matches(string reason) =>
            acceptedTexts.TryGetValue(Convert.ToHexString(module.Bytes), out var texts) && texts.Any(t => reason.StartsWith(t, StringComparison.Ordinal));

        return module.Command switch
        {
            "module" or "assert_unlinkable" or "assert_uninstantiable" or "assert_trap" or "assert_exhaustion" or "assert_return" =>
                error is null ? null : $"expected a valid module, got {error.Message}",
            "assert_malformed" => error is MalformedModuleException malformed
                ? Matches(malformed.Reason) ? null : $"expected \"{module.ExpectedText}\", got \"{malformed.Reason}\""
                : $"expected malformed \"{module.ExpectedText}\", got {error?.Message ?? "a valid module"}",
            "assert_invalid" => error is InvalidModuleException invalid && decoded
                ? Matches(invalid.Reason) ? null : $"expected \"{module.ExpectedText}\", got \"{invalid.Reason}\""
                : $"expected invalid \"{module.ExpectedText}\", got {error?.Message ?? "a valid module"}",
            _ => null,
        };
    }
}
