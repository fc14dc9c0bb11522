using System.Collections.Frozen;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using WasmKube.Shim.Native;

namespace WasmKube.Shim.Containment;

/// <summary>
/// An OCI <c>linux.seccomp</c> profile compiled to a classic BPF program for one architecture, with the meaning runc
/// gives a profile through libseccomp:
/// <list type="bullet">
/// <item>a syscall made through any other ABI than the native one (i386 <c>int 0x80</c> or x32 on x86_64, 32-bit
/// compat on aarch64) kills the process, whatever <c>architectures</c> lists;</item>
/// <item>a syscall the profile does not name gets <c>defaultAction</c>, except that one numbered above every syscall
/// the profile names fails with ENOSYS (runc does so, so that C libraries fall back from syscalls newer than the
/// profile) unless the default lets syscalls through;</item>
/// <item>rules are tried in the profile's order and the first that matches decides; the conditions of a rule must all
/// hold, unless two of them test the same argument, in which case each is a rule of its own (runc's reading);
/// a rule whose action is the default action is left out;</item>
/// <item>names the architecture has no syscall for are skipped (<see cref="UnknownSyscalls"/>).</item>
/// </list>
/// Arguments are compared as unsigned 64-bit values, one 32-bit half at a time; every jump stays inside the block of
/// its rule, so the 8-bit jump offsets never overflow.
/// </summary>
public sealed partial class SeccompProgram
{
    /// <summary>The kernel's BPF_MAXINSNS.</summary>
    public const int MaxInstructions = 4096;

    private const string Field = "linux.seccomp";

    // struct seccomp_data: int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6]; (little endian)
    private const uint NrOffset = 0;
    private const uint ArchOffset = 4;
    private const uint ArgsOffset = 16;

    private const uint AuditArchX86_64 = 0xC000003E;
    private const uint AuditArchAarch64 = 0xC00000B7;
    private const uint X32SyscallBit = 0x40000000;

    private const uint RetKillProcess = 0x80000000;
    private const uint RetKillThread = 0x00000000;
    private const uint RetTrap = 0x00030000;
    private const uint RetErrno = 0x00050000;
    private const uint RetTrace = 0x7FF00000;
    private const uint RetLog = 0x7FFC0000;
    private const uint RetAllow = 0x7FFF0000;

    private const int EPERM = 1;
    private const int ENOSYS = 38;
    private const int MaxErrno = 4095;

    private static readonly string[] Actions =
    [
        "SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD",
        "SCMP_ACT_TRAP", "SCMP_ACT_TRACE", "SCMP_ACT_LOG",
    ];

    private static readonly FrozenDictionary<string, ComparisonOp> Comparisons = new Dictionary<string, ComparisonOp>
    {
        ["SCMP_CMP_NE"] = ComparisonOp.NotEqual,
        ["SCMP_CMP_LT"] = ComparisonOp.Less,
        ["SCMP_CMP_LE"] = ComparisonOp.LessOrEqual,
        ["SCMP_CMP_EQ"] = ComparisonOp.Equal,
        ["SCMP_CMP_GE"] = ComparisonOp.GreaterOrEqual,
        ["SCMP_CMP_GT"] = ComparisonOp.Greater,
        ["SCMP_CMP_MASKED_EQ"] = ComparisonOp.MaskedEqual,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, SeccompFilterFlags> FlagNames = new Dictionary<string, SeccompFilterFlags>
    {
        ["SECCOMP_FILTER_FLAG_TSYNC"] = SeccompFilterFlags.Tsync,
        ["SECCOMP_FILTER_FLAG_LOG"] = SeccompFilterFlags.Log,
        ["SECCOMP_FILTER_FLAG_SPEC_ALLOW"] = SeccompFilterFlags.SpecAllow,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Every architecture name libseccomp knows; only the native one gets rules, the others are killed.</summary>
    private static readonly FrozenSet<string> ArchitectureNames = new[]
    {
        "SCMP_ARCH_NATIVE", "SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64",
        "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64",
        "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390",
        "SCMP_ARCH_S390X", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64", "SCMP_ARCH_LOONGARCH64",
        "SCMP_ARCH_M68K", "SCMP_ARCH_SH", "SCMP_ARCH_SHEB",
    }.ToFrozenSet(StringComparer.Ordinal);

    private readonly SockFilter[] _instructions;

    private SeccompProgram(SockFilter[] instructions, SeccompFilterFlags flags, IReadOnlyList<string> unknownSyscalls)
    {
        _instructions = instructions;
        Flags = flags;
        UnknownSyscalls = unknownSyscalls;
    }

    /// <summary>The BPF program, ready for <see cref="Install(ReadOnlySpan{SockFilter}, SeccompFilterFlags)"/>.</summary>
    public ReadOnlySpan<SockFilter> Instructions => _instructions;

    /// <summary>The profile's <c>flags</c>.</summary>
    public SeccompFilterFlags Flags { get; }

    /// <summary>Names in the profile that are no syscall of the architecture, in order, each once.</summary>
    public IReadOnlyList<string> UnknownSyscalls { get; }

    /// <summary>The program as the kernel reads it: an array of 8-byte <c>struct sock_filter</c>.</summary>
    public byte[] ToBytes() => MemoryMarshal.AsBytes(Instructions).ToArray();

    /// <summary>Compiles <paramref name="seccomp"/> for the architecture this process runs on.</summary>
    public static SeccompProgram Compile(JsonNode seccomp) => Compile(seccomp, RuntimeInformation.ProcessArchitecture);

    /// <summary>Compiles <paramref name="seccomp"/> (the spec's <c>linux.seccomp</c> object) for <paramref name="architecture"/>.</summary>
    /// <exception cref="InvalidDataException">The profile is malformed or uses what the kernel or we cannot apply.</exception>
    /// <exception cref="PlatformNotSupportedException"><paramref name="architecture"/> is neither x86_64 nor aarch64.</exception>
    public static SeccompProgram Compile(JsonNode seccomp, Architecture architecture)
    {
        var table = SyscallTable.For(architecture);
        if (seccomp is not JsonObject profile)
        {
            throw Invalid(Field, $"must be an object, not {Describe(seccomp)}");
        }

        var defaultAction = ParseAction(profile, "defaultAction", "defaultErrnoRet", Field)
            ?? throw Invalid($"{Field}.defaultAction", $"is required; use one of {string.Join(", ", Actions)}");
        CheckArchitectures(profile["architectures"]);
        var flags = ParseFlags(profile["flags"]);

        var rules = new List<Rule>();
        var unknown = new List<string>();
        var lastSyscall = -1;
        var syscalls = Array(profile["syscalls"], $"{Field}.syscalls");
        for (var i = 0; i < syscalls.Count; i++)
        {
            var path = $"{Field}.syscalls[{i}]";
            if (syscalls[i] is not JsonObject entry)
            {
                throw Invalid(path, $"must be an object, not {Describe(syscalls[i])}");
            }

            var names = Array(entry["names"], $"{path}.names");
            if (names.Count == 0)
            {
                throw Invalid($"{path}.names", "is required: list the syscalls the rule is for");
            }

            var action = ParseAction(entry, "action", "errnoRet", path)
                ?? throw Invalid($"{path}.action", $"is required; use one of {string.Join(", ", Actions)}");
            var conditionSets = ConditionSets(Array(entry["args"], $"{path}.args"), $"{path}.args");
            for (var n = 0; n < names.Count; n++)
            {
                var name = String(names[n], $"{path}.names[{n}]");
                if (string.IsNullOrEmpty(name))
                {
                    throw Invalid($"{path}.names[{n}]", "must be a syscall name");
                }

                if (!table.TryGetValue(name, out var number))
                {
                    if (!unknown.Contains(name))
                    {
                        unknown.Add(name);
                    }

                    continue;
                }

                lastSyscall = Math.Max(lastSyscall, number);
                if (action != defaultAction)
                {
                    rules.AddRange(conditionSets.Select(conditions => new Rule((uint)number, action, conditions)));
                }
            }
        }

        var emitter = new Emitter();
        EmitPrologue(emitter, architecture, defaultAction, lastSyscall);
        EmitRules(emitter, rules);
        emitter.Return(defaultAction);
        var instructions = emitter.Build();
        if (instructions.Length > MaxInstructions)
        {
            throw Invalid(Field, $"compiles to {instructions.Length} BPF instructions, more than the kernel's {MaxInstructions}; shorten the profile");
        }

        return new SeccompProgram(instructions, flags, unknown);
    }

    /// <summary>Installs this program on the calling thread (every thread with <see cref="SeccompFilterFlags.Tsync"/>).</summary>
    public void Install() => Install(_instructions, Flags);

    /// <summary>
    /// Loads <paramref name="program"/> with <c>seccomp(SECCOMP_SET_MODE_FILTER, flags, &amp;prog)</c> on the calling
    /// thread. The thread must have no_new_privs set or CAP_SYS_ADMIN; the filter stays for the thread's lifetime and
    /// is inherited by its children and across execve.
    /// </summary>
    /// <exception cref="InvalidOperationException">The kernel refused the filter; the message says why.</exception>
    public static unsafe void Install(ReadOnlySpan<SockFilter> program, SeccompFilterFlags flags)
    {
        if (program.IsEmpty || program.Length > MaxInstructions)
        {
            throw new ArgumentException($"a seccomp program has 1 to {MaxInstructions} instructions, not {program.Length}", nameof(program));
        }

        var number = SyscallTable.For(RuntimeInformation.ProcessArchitecture)["seccomp"];
        fixed (SockFilter* filter = program)
        {
            var fprog = new SockFprog { Length = (ushort)program.Length, Filter = filter };
            var result = syscall(number, SeccompSetModeFilter, (ulong)flags, &fprog);
            if (result == 0)
            {
                return;
            }

            if (result > 0)
            {
                throw new InvalidOperationException(
                    $"seccomp: thread {result} could not take the filter (SECCOMP_FILTER_FLAG_TSYNC; it has a filter of its own); no thread got it");
            }

            var errno = Marshal.GetLastPInvokeError();
            var hint = errno switch
            {
                13 => ": the thread needs no_new_privs (prctl PR_SET_NO_NEW_PRIVS) or CAP_SYS_ADMIN",
                22 => $": the kernel refused the program or one of the flags {flags}",
                _ => "",
            };
            throw new InvalidOperationException($"seccomp(SECCOMP_SET_MODE_FILTER, {flags}) failed: {Libc.ErrorText(errno)}{hint}");
        }
    }

    private const ulong SeccompSetModeFilter = 1;

    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct SockFprog
    {
        public ushort Length;
        public SockFilter* Filter;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial long syscall(long number, ulong operation, ulong flags, SockFprog* program);

    private static void EmitPrologue(Emitter e, Architecture architecture, uint defaultAction, int lastSyscall)
    {
        var archOk = e.Label();
        e.Load(ArchOffset);
        e.Jump(Bpf.Jeq, architecture == Architecture.X64 ? AuditArchX86_64 : AuditArchAarch64, archOk, Emitter.Next);
        e.Return(RetKillProcess);
        e.Mark(archOk);
        e.Load(NrOffset);
        if (architecture == Architecture.X64)
        {
            var native = e.Label();
            e.Jump(Bpf.Jset, X32SyscallBit, Emitter.Next, native);
            e.Return(RetKillProcess);
            e.Mark(native);
        }

        var defaultLetsThrough = (defaultAction & 0xFFFF0000) is RetAllow or RetLog or RetTrace;
        if (lastSyscall >= 0 && !defaultLetsThrough && defaultAction != (RetErrno | ENOSYS))
        {
            var known = e.Label();
            e.Jump(Bpf.Jgt, (uint)lastSyscall, Emitter.Next, known);
            e.Return(RetErrno | ENOSYS);
            e.Mark(known);
        }
    }

    /// <summary>
    /// One block per rule with conditions (reload nr, compare, test the arguments, return); runs of unconditional
    /// rules with one action share a block of compares and one return, at most 200 to a block to keep jumps short.
    /// </summary>
    private static void EmitRules(Emitter e, List<Rule> rules)
    {
        const int RunLength = 200;
        for (var i = 0; i < rules.Count;)
        {
            var rule = rules[i];
            var next = e.Label();
            e.Load(NrOffset);
            if (rule.Conditions.Count > 0)
            {
                e.Jump(Bpf.Jeq, rule.Syscall, Emitter.Next, next);
                foreach (var condition in rule.Conditions)
                {
                    EmitCondition(e, condition, next);
                }

                e.Return(rule.Action);
                i++;
            }
            else
            {
                var end = i + 1;
                while (end < rules.Count && end - i < RunLength && rules[end].Conditions.Count == 0 && rules[end].Action == rule.Action)
                {
                    end++;
                }

                var match = e.Label();
                for (var j = i; j < end; j++)
                {
                    e.Jump(Bpf.Jeq, rules[j].Syscall, match, j == end - 1 ? next : Emitter.Next);
                }

                e.Mark(match);
                e.Return(rule.Action);
                i = end;
            }

            e.Mark(next);
        }
    }

    /// <summary>Falls through when the condition holds, jumps to <paramref name="fail"/> otherwise.</summary>
    private static void EmitCondition(Emitter e, Condition c, int fail)
    {
        var low = ArgsOffset + 8 * c.Index;
        var high = low + 4;
        var (valueLow, valueHigh) = ((uint)c.Value, (uint)(c.Value >> 32));
        var pass = e.Label();
        switch (c.Op)
        {
            case ComparisonOp.Equal:
                e.Load(high);
                e.Jump(Bpf.Jeq, valueHigh, Emitter.Next, fail);
                e.Load(low);
                e.Jump(Bpf.Jeq, valueLow, Emitter.Next, fail);
                break;
            case ComparisonOp.NotEqual:
                e.Load(high);
                e.Jump(Bpf.Jeq, valueHigh, Emitter.Next, pass);
                e.Load(low);
                e.Jump(Bpf.Jeq, valueLow, fail, Emitter.Next);
                break;
            case ComparisonOp.Greater or ComparisonOp.GreaterOrEqual:
                e.Load(high);
                e.Jump(Bpf.Jgt, valueHigh, pass, Emitter.Next);
                e.Jump(Bpf.Jeq, valueHigh, Emitter.Next, fail);
                e.Load(low);
                e.Jump(c.Op == ComparisonOp.Greater ? Bpf.Jgt : Bpf.Jge, valueLow, Emitter.Next, fail);
                break;
            case ComparisonOp.Less or ComparisonOp.LessOrEqual:
                e.Load(high);
                e.Jump(Bpf.Jgt, valueHigh, fail, Emitter.Next);
                e.Jump(Bpf.Jeq, valueHigh, Emitter.Next, pass);
                e.Load(low);
                e.Jump(c.Op == ComparisonOp.Less ? Bpf.Jge : Bpf.Jgt, valueLow, fail, Emitter.Next);
                break;
            case ComparisonOp.MaskedEqual:
                e.Load(high);
                e.And(valueHigh);
                e.Jump(Bpf.Jeq, (uint)(c.ValueTwo >> 32), Emitter.Next, fail);
                e.Load(low);
                e.And(valueLow);
                e.Jump(Bpf.Jeq, (uint)c.ValueTwo, Emitter.Next, fail);
                break;
        }

        e.Mark(pass);
    }

    /// <summary>
    /// The conditions of one syscall entry as the rules they make: all of them in one rule, or, when two test the
    /// same argument, one rule each (libseccomp cannot AND two comparisons of one argument, so runc ORs them).
    /// </summary>
    private static List<IReadOnlyList<Condition>> ConditionSets(JsonArray args, string path)
    {
        var conditions = new List<Condition>();
        for (var i = 0; i < args.Count; i++)
        {
            conditions.Add(ParseCondition(args[i], $"{path}[{i}]"));
        }

        if (conditions.Count > 1 && conditions.DistinctBy(c => c.Index).Count() < conditions.Count)
        {
            return conditions.Select(c => (IReadOnlyList<Condition>)[c]).ToList();
        }

        return [conditions];
    }

    private static Condition ParseCondition(JsonNode? node, string path)
    {
        if (node is not JsonObject arg)
        {
            throw Invalid(path, $"must be an object with index, value, valueTwo and op, not {Describe(node)}");
        }

        var index = Unsigned(arg["index"], $"{path}.index") ?? throw Invalid($"{path}.index", "is required (0 to 5)");
        if (index > 5)
        {
            throw Invalid($"{path}.index", $"{index} is no syscall argument; use 0 to 5");
        }

        var opName = String(arg["op"], $"{path}.op") ?? throw Invalid($"{path}.op", $"is required; use one of {string.Join(", ", Comparisons.Keys)}");
        if (!Comparisons.TryGetValue(opName, out var op))
        {
            throw Invalid($"{path}.op", $"\"{opName}\" is not a seccomp comparison; use one of {string.Join(", ", Comparisons.Keys)}");
        }

        var value = Unsigned(arg["value"], $"{path}.value") ?? throw Invalid($"{path}.value", "is required");
        return new Condition((uint)index, op, value, Unsigned(arg["valueTwo"], $"{path}.valueTwo") ?? 0);
    }

    /// <summary>The return value of the action in <paramref name="actionField"/>, with its errno; null when absent.</summary>
    private static uint? ParseAction(JsonObject owner, string actionField, string errnoField, string path)
    {
        var name = String(owner[actionField], $"{path}.{actionField}");
        if (name is null)
        {
            return null;
        }

        var errno = Unsigned(owner[errnoField], $"{path}.{errnoField}");
        var takesErrno = name is "SCMP_ACT_ERRNO" or "SCMP_ACT_TRACE";
        if (errno is not null && !takesErrno)
        {
            throw Invalid($"{path}.{errnoField}", $"applies to SCMP_ACT_ERRNO and SCMP_ACT_TRACE only, not to {name}");
        }

        var limit = name == "SCMP_ACT_ERRNO" ? MaxErrno : ushort.MaxValue;
        if (errno > (ulong)limit)
        {
            throw Invalid($"{path}.{errnoField}", $"{errno} is out of range; use 0 to {limit}");
        }

        var data = (uint)(errno ?? EPERM);
        return name switch
        {
            "SCMP_ACT_ALLOW" => RetAllow,
            "SCMP_ACT_ERRNO" => RetErrno | data,
            "SCMP_ACT_KILL" or "SCMP_ACT_KILL_THREAD" => RetKillThread,
            "SCMP_ACT_KILL_PROCESS" => RetKillProcess,
            "SCMP_ACT_TRAP" => RetTrap,
            "SCMP_ACT_TRACE" => RetTrace | data,
            "SCMP_ACT_LOG" => RetLog,
            "SCMP_ACT_NOTIFY" => throw Invalid($"{path}.{actionField}",
                "SCMP_ACT_NOTIFY hands syscalls to a seccomp agent (listenerPath), which WasmKube does not run; use SCMP_ACT_ERRNO or SCMP_ACT_LOG"),
            _ => throw Invalid($"{path}.{actionField}", $"\"{name}\" is not a seccomp action; use one of {string.Join(", ", Actions)}"),
        };
    }

    private static void CheckArchitectures(JsonNode? node)
    {
        var architectures = Array(node, $"{Field}.architectures");
        for (var i = 0; i < architectures.Count; i++)
        {
            var name = String(architectures[i], $"{Field}.architectures[{i}]");
            if (name is null || !ArchitectureNames.Contains(name))
            {
                throw Invalid($"{Field}.architectures[{i}]", $"\"{name}\" is not a seccomp architecture; use SCMP_ARCH_ names such as SCMP_ARCH_X86_64 or SCMP_ARCH_AARCH64");
            }
        }
    }

    private static SeccompFilterFlags ParseFlags(JsonNode? node)
    {
        var names = Array(node, $"{Field}.flags");
        var flags = SeccompFilterFlags.None;
        for (var i = 0; i < names.Count; i++)
        {
            var name = String(names[i], $"{Field}.flags[{i}]");
            if (name is null || !FlagNames.TryGetValue(name, out var flag))
            {
                throw Invalid($"{Field}.flags[{i}]", $"\"{name}\" is not a filter flag we apply; use {string.Join(", ", FlagNames.Keys)}");
            }

            flags |= flag;
        }

        return flags;
    }

    private static JsonArray Array(JsonNode? node, string path) => node switch
    {
        null => [],
        JsonArray array => array,
        _ => throw Invalid(path, $"must be a list, not {Describe(node)}"),
    };

    private static string? String(JsonNode? node, string path) => node switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => throw Invalid(path, $"must be a string, not {Describe(node)}"),
    };

    private static ulong? Unsigned(JsonNode? node, string path) => node switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.Number
            && ulong.TryParse(value.ToJsonString(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) => number,
        _ => throw Invalid(path, $"must be an unsigned integer below 2^64, not {Describe(node)}"),
    };

    private static string Describe(JsonNode? node) => node is null ? "null" : node.ToJsonString();

    private static InvalidDataException Invalid(string field, string problem) => new($"{field}: {problem}");

    private enum ComparisonOp
    {
        NotEqual,
        Less,
        LessOrEqual,
        Equal,
        GreaterOrEqual,
        Greater,
        MaskedEqual,
    }

    private sealed record Condition(uint Index, ComparisonOp Op, ulong Value, ulong ValueTwo);

    private sealed record Rule(uint Syscall, uint Action, IReadOnlyList<Condition> Conditions);

    private static class Bpf
    {
        public const ushort LdWAbs = 0x20;   // BPF_LD | BPF_W | BPF_ABS
        public const ushort Jeq = 0x15;      // BPF_JMP | BPF_JEQ | BPF_K
        public const ushort Jgt = 0x25;      // BPF_JMP | BPF_JGT | BPF_K
        public const ushort Jge = 0x35;      // BPF_JMP | BPF_JGE | BPF_K
        public const ushort Jset = 0x45;     // BPF_JMP | BPF_JSET | BPF_K
        public const ushort AndK = 0x54;     // BPF_ALU | BPF_AND | BPF_K
        public const ushort RetK = 0x06;     // BPF_RET | BPF_K
    }

    /// <summary>Collects instructions whose jumps name labels, and resolves them to 8-bit forward offsets.</summary>
    private sealed class Emitter
    {
        /// <summary>The label of the next instruction (offset 0).</summary>
        public const int Next = -1;

        private readonly List<(ushort Code, uint K, int Jt, int Jf)> _code = [];
        private readonly List<int> _labels = [];

        public int Label()
        {
            _labels.Add(-1);
            return _labels.Count - 1;
        }

        public void Mark(int label) => _labels[label] = _code.Count;

        public void Load(uint offset) => _code.Add((Bpf.LdWAbs, offset, Next, Next));

        public void And(uint mask) => _code.Add((Bpf.AndK, mask, Next, Next));

        public void Jump(ushort code, uint k, int whenTrue, int whenFalse) => _code.Add((code, k, whenTrue, whenFalse));

        public void Return(uint action) => _code.Add((Bpf.RetK, action, Next, Next));

        public SockFilter[] Build()
        {
            var program = new SockFilter[_code.Count];
            for (var i = 0; i < program.Length; i++)
            {
                var (code, k, jt, jf) = _code[i];
                program[i] = (code & 0x07) == 0x05
                    ? new SockFilter(code, Offset(i, jt), Offset(i, jf), k)
                    : new SockFilter(code, 0, 0, k);
            }

            return program;
        }

        private byte Offset(int from, int label)
        {
            if (label == Next)
            {
                return 0;
            }

            var offset = _labels[label] - from - 1;
            return offset is >= 0 and <= byte.MaxValue
                ? (byte)offset
                : throw new InvalidOperationException($"BPF jump from {from} to {_labels[label]} does not fit in 8 bits");
        }
    }
}
