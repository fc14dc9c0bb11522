using System.Text;

namespace WasmKube.Runtime.Tests.Binary;

/// <summary>Builds binary modules by hand, section by section, for tests that need exact bytes.</summary>
internal static class WasmBytes
{
    public static readonly byte[] Header = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00];

    public static byte[] Module(params byte[][] sections) => [.. Header, .. sections.SelectMany(s => s)];

    public static byte[] Section(byte id, params byte[][] content)
    {
        var body = content.SelectMany(c => c).ToArray();
        return [id, .. U32((uint)body.Length), .. body];
    }

    public static byte[] Vector(params byte[][] items) => [.. U32((uint)items.Length), .. items.SelectMany(i => i)];

    public static byte[] U32(uint value)
    {
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value == 0 ? b : (byte)(b | 0x80));
        }
        while (value != 0);
        return [.. bytes];
    }

    public static byte[] Name(string name)
    {
        var utf8 = Encoding.UTF8.GetBytes(name);
        return [.. U32((uint)utf8.Length), .. utf8];
    }

    /// <summary>A type section entry: <c>func [params] -> [results]</c>.</summary>
    public static byte[] FunctionType(ValueType[] parameters, ValueType[] results) =>
        [0x60, .. U32((uint)parameters.Length), .. parameters.Select(p => (byte)p), .. U32((uint)results.Length), .. results.Select(r => (byte)r)];

    /// <summary>A code section entry with no locals around <paramref name="instructions"/> (which must end with 0x0B).</summary>
    public static byte[] Body(params byte[] instructions)
    {
        byte[] content = [0x00, .. instructions];
        return [.. U32((uint)content.Length), .. content];
    }

    /// <summary>A module with one function of type [] -> [] and the given instruction bytes.</summary>
    public static byte[] SingleFunction(params byte[] instructions) => Module(
        Section(1, Vector(FunctionType([], []))),
        Section(3, Vector([0x00])),
        Section(10, Vector(Body(instructions))));
}
