using System.Globalization;
using System.Text.Json.Serialization;

namespace WasmKube.Kube.Models;

/// <summary>intstr.IntOrString: a port number or a port name (Service targetPort).</summary>
[JsonConverter(typeof(IntOrStringJsonConverter))]
public sealed record IntOrString
{
    public IntOrString(int value) => IntValue = value;

    public IntOrString(string value) => StringValue = value;

    public int? IntValue { get; }

    public string? StringValue { get; }

    public override string ToString() => StringValue ?? IntValue!.Value.ToString(CultureInfo.InvariantCulture);

    public static implicit operator IntOrString(int value) => new(value);

    public static implicit operator IntOrString(string value) => new(value);
}
