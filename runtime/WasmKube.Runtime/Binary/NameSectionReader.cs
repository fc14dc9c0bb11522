namespace WasmKube.Runtime.Binary;

/// <summary>
/// Reads the "name" custom section (spec §7.4.1) for backtraces. The section is advisory, so a broken one is ignored
/// from the point where it breaks rather than rejecting the module.
/// </summary>
internal static class NameSectionReader
{
    private const byte ModuleNameSubsection = 0;
    private const byte FunctionNamesSubsection = 1;

    public static void Read(ReadOnlySpan<byte> content, ModuleDecoder.DecoderState state)
    {
        try
        {
            var r = new ByteReader(content, 0, content.Length, "name");
            while (!r.AtEnd)
            {
                var id = r.ReadByte();
                var size = r.ReadLength();
                var sub = new ByteReader(content, r.Position, r.Position + size, "name");
                r.Position += size;
                switch (id)
                {
                    case ModuleNameSubsection:
                        state.ModuleName = sub.ReadName();
                        break;
                    case FunctionNamesSubsection:
                        for (var n = sub.ReadU32(); n > 0; n--)
                        {
                            var index = sub.ReadU32();
                            state.FunctionNames[index] = sub.ReadName();
                        }

                        break;
                }
            }
        }
        catch (MalformedModuleException)
        {
            // Names read before the damage are kept.
        }
    }
}
