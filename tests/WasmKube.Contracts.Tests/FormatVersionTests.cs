using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using WasmKube.Contracts;

namespace WasmKube.Contracts.Tests;

/// <summary>
/// The files that pass between the shim, its executors and node agents of other versions carry a version. Each
/// version's shape (every JSON property, its type and whether it is required) is recorded in Formats/; a change to a
/// format without a new version, or a version without its recorded shape, fails here.
/// </summary>
public sealed class FormatVersionTests
{
    public static TheoryData<string, int> Formats => new()
    {
        { "container-record", ContainerRecord.CurrentVersion },
        { "engine-stats", EngineStats.CurrentVersion },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void A_format_changes_only_with_a_new_version(string format, int version)
    {
        var shape = Shape(TypeOf(format));
        var file = $"{format}.v{version}.txt";
        var recorded = Path.Combine(AppContext.BaseDirectory, "Formats", file);

        Assert.True(File.Exists(recorded), $"version {version} of {format} has no recorded shape: add tests/WasmKube.Contracts.Tests/Formats/{file} with\n{shape}");
        Assert.True(File.ReadAllText(recorded) == shape,
            $"the {format} format is no longer what version {version} recorded: raise its CurrentVersion and record the new shape in Formats/{format}.v{version + 1}.txt:\n{shape}");
    }

    [Fact]
    public void Every_earlier_version_stays_recorded()
    {
        foreach (var (format, version) in Formats.Select(row => ((string)row[0], (int)row[1])))
        {
            for (var earlier = 1; earlier <= version; earlier++)
                Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "Formats", $"{format}.v{earlier}.txt")), $"{format} version {earlier} is not recorded");
        }
    }

    [Fact]
    public void A_record_from_before_versions_were_written_reads_as_version_0()
    {
        var record = JsonSerializer.Deserialize(
            """{"id":"c","namespace":"k8s.io","kind":"wasm","bundle":"/b","status":"running","cgroupPath":"/c"}""",
            ContractJson.Default.ContainerRecord);

        Assert.Equal(0, record!.Version);
        Assert.Equal("/c", record.CgroupPath);
    }

    [Fact]
    public void A_record_missing_a_required_field_is_refused()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(
            """{"id":"c","namespace":"k8s.io","kind":"wasm","status":"running","cgroupPath":"/c"}""", ContractJson.Default.ContainerRecord));
    }

    [Fact]
    public void The_largest_engine_statistics_record_fits_the_line_the_shim_accepts()
    {
        var largest = new EngineStats
        {
            Engine = Engines.WasmKube, CompileSeconds = double.MaxValue, StartSeconds = double.MinValue, LinearMemoryBytes = long.MaxValue,
            ExitReason = ExitReasons.OutOfFuel, ExitCode = int.MinValue,
        };

        var json = JsonSerializer.Serialize(largest, ContractJson.Default.EngineStats);

        Assert.DoesNotContain('\n', json);
        Assert.InRange(Encoding.UTF8.GetByteCount(json), 1, EngineStats.MaxBytes);
        Assert.Equal(largest, JsonSerializer.Deserialize(json, ContractJson.Default.EngineStats));
    }

    private static JsonTypeInfo TypeOf(string format) => format switch
    {
        "container-record" => ContractJson.Default.ContainerRecord,
        "engine-stats" => ContractJson.Default.EngineStats,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    private static string Shape(JsonTypeInfo type) => string.Concat(type.Properties
        .OrderBy(p => p.Name, StringComparer.Ordinal)
        .Select(p => $"{p.Name}: {TypeName(p)}{(p.IsRequired ? " (required)" : "")}\n"));

    /// <summary>The property's type with its nullability, value type or reference.</summary>
    private static string TypeName(JsonPropertyInfo property)
    {
        if (Nullable.GetUnderlyingType(property.PropertyType) is { } inner) return inner.Name + "?";
        var declared = (PropertyInfo)property.AttributeProvider!;
        return property.PropertyType.Name + (new NullabilityInfoContext().Create(declared).ReadState == NullabilityState.Nullable ? "?" : "");
    }
}
