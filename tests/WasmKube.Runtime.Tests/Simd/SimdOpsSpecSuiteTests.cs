using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.Intrinsics;
using System.Text.Json;
using WasmKube.Runtime.Binary;
using WasmKube.Runtime.Compilation.Simd;
using Xunit.Abstractions;

namespace WasmKube.Runtime.Tests.Simd;

/// <summary>
/// Replays the spec suite's simd_*.wast assertions on <see cref="SimdOps"/> directly: every <c>assert_return</c>
/// that invokes a function consisting of a single SIMD instruction applied to its parameters is evaluated by calling
/// the helper of that instruction. Expected values come from the suite, so this checks the helpers against the
/// specification independently of the compiler. wast2json (wabt) converts the scripts.
/// </summary>
public sealed class SimdOpsSpecSuiteTests(ITestOutputHelper output)
{
    private static readonly string[] MemoryOrConstantScripts = ["simd_address", "simd_align", "simd_const", "simd_load", "simd_store"];

    /// <summary>
    /// The SIMD scripts except those about memory access and constants (address, align, const, load*, store*):
    /// the compiler emits those instructions itself, so only the compiled-engine spec run can check them.
    /// </summary>
    public static TheoryData<string> SimdWastFiles() =>
        new(SpecSuite.SimdFiles().Where(name => !MemoryOrConstantScripts.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal))));

    [SpecSuiteTheory]
    [MemberData(nameof(SimdWastFiles))]
    public void DirectAssertionsHold(string wastFile)
    {
        var replay = Replay(wastFile);

        output.WriteLine($"{wastFile}: {replay.Checked} of {replay.AssertReturns} assert_return checked on SimdOps");
        Assert.True(replay.Checked > 0, $"no assertion of {wastFile} invokes a single-instruction function");
        Assert.True(replay.Failures.Count == 0,
            $"{replay.Failures.Count} of {replay.Checked} assertions failed:\n" + string.Join("\n", replay.Failures.Take(40)));
    }

    [SpecSuiteTheory]
    [InlineData("simd_i8x16_sat_arith.wast")]
    [InlineData("simd_f32x4.wast")]
    [InlineData("simd_lane.wast")]
    [InlineData("simd_conversions.wast")]
    public void ReplayReachesTheAssertionsOfOperationFiles(string wastFile)
    {
        // Guards the replay itself: if the scanner stopped recognising the wrappers, the test above would pass
        // vacuously. These files are almost entirely single-instruction wrappers.
        var replay = Replay(wastFile);

        Assert.True(replay.Checked * 2 > replay.AssertReturns,
            $"only {replay.Checked} of {replay.AssertReturns} assertions of {wastFile} were checked");
    }

    private sealed record ReplayResult(int AssertReturns, int Checked, List<string> Failures);

    private static ReplayResult Replay(string wastFile)
    {
        var workDir = Directory.CreateTempSubdirectory("wasmkube-simd-");
        try
        {
            var json = ConvertWast(Path.Combine(SpecSuite.Directory!, wastFile), workDir.FullName);
            using var script = JsonDocument.Parse(File.ReadAllText(json));

            var assertReturns = 0;
            var checkedCount = 0;
            var failures = new List<string>();
            var modules = new Dictionary<string, Dictionary<string, DirectSimdFunction>>();
            Dictionary<string, DirectSimdFunction> current = [];

            foreach (var command in script.RootElement.GetProperty("commands").EnumerateArray())
            {
                switch (command.GetProperty("type").GetString())
                {
                    case "module":
                        var bytes = File.ReadAllBytes(Path.Combine(workDir.FullName, command.GetProperty("filename").GetString()!));
                        current = DirectSimdFunctionScanner.Scan(bytes).ToDictionary(f => f.Export);
                        if (command.TryGetProperty("name", out var moduleName))
                        {
                            modules[moduleName.GetString()!] = current;
                        }
                        break;
                    case "assert_return":
                        assertReturns++;
                        var action = command.GetProperty("action");
                        var target = action.TryGetProperty("module", out var named) ? modules[named.GetString()!] : current;
                        if (action.GetProperty("type").GetString() != "invoke"
                            || !target.TryGetValue(action.GetProperty("field").GetString()!, out var function))
                        {
                            break;
                        }
                        checkedCount++;
                        var failure = Check(function, action.GetProperty("args"), command.GetProperty("expected")[0]);
                        if (failure is not null)
                        {
                            failures.Add($"line {command.GetProperty("line").GetInt32()} {function.Export}: {failure}");
                        }
                        break;
                }
            }
            return new ReplayResult(assertReturns, checkedCount, failures);
        }
        finally
        {
            workDir.Delete(recursive: true);
        }
    }

    private static string ConvertWast(string wastPath, string outputDir)
    {
        var json = Path.Combine(outputDir, Path.ChangeExtension(Path.GetFileName(wastPath), ".json"));
        var start = new ProcessStartInfo("wast2json", ["--enable-all", wastPath, "-o", json])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)
            ?? throw new InvalidOperationException("could not start wast2json; install wabt (scripts/deps.sh does)");
        var errors = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"wast2json failed on {wastPath} (exit {process.ExitCode}): {errors}");
        }
        return json;
    }

    private static string? Check(DirectSimdFunction function, JsonElement args, JsonElement expected)
    {
        var method = typeof(SimdOps).GetMethod(function.Opcode.ToString(), BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            ?? throw new InvalidOperationException($"SimdOps has no method {function.Opcode}");
        var parameters = method.GetParameters();

        var arguments = new List<object>();
        var index = 0;
        foreach (var arg in args.EnumerateArray())
        {
            arguments.Add(ToArgument(arg, parameters[index++].ParameterType));
        }
        if (function.Opcode == Opcode.I8x16Shuffle)
        {
            arguments.Add(Vector128.Create(function.Immediates));
        }
        else if (function.Immediates.Length == 1)
        {
            arguments.Add(function.Immediates[0]);
        }

        var result = method.Invoke(null, [.. arguments])!;
        return Mismatch(result, expected);
    }

    private static object ToArgument(JsonElement arg, Type parameterType)
    {
        var type = arg.GetProperty("type").GetString();
        if (type == "v128")
        {
            return ToVector(arg.GetProperty("lane_type").GetString()!, arg.GetProperty("value"));
        }
        var bits = ulong.Parse(arg.GetProperty("value").GetString()!, CultureInfo.InvariantCulture);
        var value = type switch
        {
            "i32" => (object)(int)(uint)bits,
            "i64" => (long)bits,
            "f32" => BitConverter.Int32BitsToSingle((int)(uint)bits),
            "f64" => BitConverter.Int64BitsToDouble((long)bits),
            _ => throw new InvalidOperationException($"unsupported argument type {type}"),
        };
        return value.GetType() == parameterType
            ? value
            : throw new InvalidOperationException($"argument {type} does not fit parameter {parameterType.Name}");
    }

    private static Vector128<byte> ToVector(string laneType, JsonElement lanes)
    {
        var width = LaneBytes(laneType);
        var bytes = new byte[16];
        var i = 0;
        foreach (var lane in lanes.EnumerateArray())
        {
            var bits = ulong.Parse(lane.GetString()!, CultureInfo.InvariantCulture);
            for (var b = 0; b < width; b++)
            {
                bytes[i * width + b] = (byte)(bits >> (8 * b));
            }
            i++;
        }
        return Vector128.Create(bytes);
    }

    private static string? Mismatch(object result, JsonElement expected)
    {
        var type = expected.GetProperty("type").GetString();
        if (type == "v128")
        {
            var vector = (Vector128<byte>)result;
            var laneType = expected.GetProperty("lane_type").GetString()!;
            var width = LaneBytes(laneType);
            var lane = 0;
            foreach (var want in expected.GetProperty("value").EnumerateArray())
            {
                var got = LaneBits(vector, lane * width, width);
                if (!Matches(got, want.GetString()!, width))
                {
                    return $"lane {lane} ({laneType}) is 0x{got:x}, expected {want.GetString()}; result {Hex(vector)}";
                }
                lane++;
            }
            return null;
        }
        var (bitsOf, size) = result switch
        {
            int v => ((ulong)(uint)v, 4),
            long v => ((ulong)v, 8),
            float v => ((ulong)(uint)BitConverter.SingleToInt32Bits(v), 4),
            double v => ((ulong)BitConverter.DoubleToInt64Bits(v), 8),
            _ => throw new InvalidOperationException($"unexpected result type {result.GetType()}"),
        };
        var text = expected.GetProperty("value").GetString()!;
        return Matches(bitsOf, text, size) ? null : $"result 0x{bitsOf:x}, expected {text}";
    }

    /// <summary>Bit-exact match, or the NaN classes of spec §4.3.3 for nan:canonical / nan:arithmetic.</summary>
    private static bool Matches(ulong bits, string expected, int width)
    {
        var (exponentAndQuiet, payload) = width == 4
            ? (0x7FC0_0000ul, 0x003F_FFFFul)
            : (0x7FF8_0000_0000_0000ul, 0x0007_FFFF_FFFF_FFFFul);
        var magnitude = bits & (width == 4 ? 0x7FFF_FFFFul : 0x7FFF_FFFF_FFFF_FFFFul);
        return expected switch
        {
            "nan:canonical" => magnitude == exponentAndQuiet,
            "nan:arithmetic" => (magnitude & ~payload) == exponentAndQuiet,
            _ => bits == ulong.Parse(expected, CultureInfo.InvariantCulture),
        };
    }

    private static ulong LaneBits(Vector128<byte> vector, int offset, int width)
    {
        ulong bits = 0;
        for (var i = width - 1; i >= 0; i--)
        {
            bits = (bits << 8) | vector.GetElement(offset + i);
        }
        return bits;
    }

    private static int LaneBytes(string laneType) => laneType switch
    {
        "i8" => 1,
        "i16" => 2,
        "i32" or "f32" => 4,
        "i64" or "f64" => 8,
        _ => throw new InvalidOperationException($"unknown lane type {laneType}"),
    };

    private static string Hex(Vector128<byte> vector) =>
        string.Join(' ', Enumerable.Range(0, 16).Select(i => vector.GetElement(i).ToString("x2", CultureInfo.InvariantCulture)));
}
