using System.Buffers.Binary;
using WasmKube.Shim.Containment;

namespace WasmKube.Shim.Tests.Seccomp;

/// <summary>
/// Runs a seccomp BPF program on a <c>struct seccomp_data</c> the way the kernel does, for the instructions the
/// compiler emits, and fails on a jump that leaves the program or runs off its end.
/// </summary>
internal static class BpfInterpreter
{
    public const uint AuditArchX86_64 = 0xC000003E;
    public const uint AuditArchI386 = 0x40000003;
    public const uint AuditArchAarch64 = 0xC00000B7;
    public const uint AuditArchArm = 0x40000028;

    public static uint Run(ReadOnlySpan<SockFilter> program, uint arch, int nr, params ulong[] args)
    {
        Span<byte> data = stackalloc byte[64];
        BinaryPrimitives.WriteInt32LittleEndian(data, nr);
        BinaryPrimitives.WriteUInt32LittleEndian(data[4..], arch);
        for (var i = 0; i < args.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(data[(16 + 8 * i)..], args[i]);
        }

        uint a = 0;
        for (var pc = 0; ;)
        {
            if (pc >= program.Length)
            {
                throw new InvalidOperationException($"the program runs off its end at {pc}");
            }

            var instruction = program[pc];
            switch (instruction.Code)
            {
                case 0x20:
                    a = BinaryPrimitives.ReadUInt32LittleEndian(data[(int)instruction.K..]);
                    pc++;
                    break;
                case 0x54:
                    a &= instruction.K;
                    pc++;
                    break;
                case 0x06:
                    return instruction.K;
                case 0x15 or 0x25 or 0x35 or 0x45:
                    var taken = instruction.Code switch
                    {
                        0x15 => a == instruction.K,
                        0x25 => a > instruction.K,
                        0x35 => a >= instruction.K,
                        _ => (a & instruction.K) != 0,
                    };
                    pc += 1 + (taken ? instruction.Jt : instruction.Jf);
                    break;
                default:
                    throw new InvalidOperationException($"instruction {pc} has an unexpected code 0x{instruction.Code:x2}");
            }
        }
    }
}
