using System.Buffers.Binary;
using System.Text;
using KmlSim.Kernel.Elf;

namespace KmlSim.Kernel.Process;

/// <summary>
/// Builds the System V x86-64 process entry stack as Linux's create_elf_tables does. From the top down:
/// an 8-byte zero end marker, the executable name (AT_EXECFN), the environment and argument strings, the
/// platform string, the 16 AT_RANDOM bytes; then, 16-byte aligned, argc, the argv pointers and NULL, the
/// envp pointers and NULL, and the auxiliary vector ending with AT_NULL. RSP points at argc.
/// </summary>
internal static class InitialStack
{
    /// <summary>Linux refuses argument and environment strings beyond a quarter of the 8 MiB stack (E2BIG).</summary>
    public const int MaxStringBytes = (int)(ProcessMemory.StackSize / 4);

    /// <summary>Writes the stack below <see cref="ProcessMemory.StackTop"/> and returns the initial RSP.</summary>
    /// <exception cref="ArgumentException">The strings are too large.</exception>
    public static ulong Build(ProcessMemory memory, LoadedImage image, IReadOnlyList<string> arguments, IReadOnlyList<string> environment, string executableName, ReadOnlySpan<byte> randomBytes, ulong systemInfoEntry = 0)
    {
        var strings = new List<byte>();
        ulong top = ProcessMemory.StackTop - 8;

        // Strings are laid out upwards from their lowest address, which is only known once all are sized.
        byte[] execfn = Terminated(executableName);
        var argumentBytes = arguments.Select(Terminated).ToArray();
        var environmentBytes = environment.Select(Terminated).ToArray();
        int stringBytes = execfn.Length + argumentBytes.Sum(a => a.Length) + environmentBytes.Sum(e => e.Length);
        if (stringBytes > MaxStringBytes)
        {
            throw new ArgumentException($"arguments and environment take {stringBytes} bytes, more than {MaxStringBytes}");
        }

        ulong cursor = top - (ulong)stringBytes;
        ulong stringsStart = cursor;
        var argumentPointers = new ulong[argumentBytes.Length];
        var environmentPointers = new ulong[environmentBytes.Length];
        for (int i = 0; i < argumentBytes.Length; i++)
        {
            argumentPointers[i] = cursor + (ulong)strings.Count;
            strings.AddRange(argumentBytes[i]);
        }

        for (int i = 0; i < environmentBytes.Length; i++)
        {
            environmentPointers[i] = cursor + (ulong)strings.Count;
            strings.AddRange(environmentBytes[i]);
        }

        ulong execfnAddress = cursor + (ulong)strings.Count;
        strings.AddRange(execfn);
        memory.Space.Write(stringsStart, strings.ToArray());

        byte[] platform = Terminated(ProcessIdentity.Machine);
        ulong platformAddress = stringsStart - (ulong)platform.Length;
        memory.Space.Write(platformAddress, platform);
        ulong randomAddress = (platformAddress - 16) & ~0xFUL;
        memory.Space.Write(randomAddress, randomBytes[..16]);

        ulong[] auxiliary =
        [
            AuxiliaryVectorType.HardwareCapabilities, ProcessIdentity.HardwareCapabilities,
            AuxiliaryVectorType.PageSize, ProcessMemory.PageSize,
            AuxiliaryVectorType.ClockTick, SimulatedClock.TicksPerSecond,
            AuxiliaryVectorType.ProgramHeaders, image.ProgramHeaders,
            AuxiliaryVectorType.ProgramHeaderSize, (ulong)ElfFile.ProgramHeaderEntrySize,
            AuxiliaryVectorType.ProgramHeaderCount, (ulong)image.ProgramHeaderCount,
            AuxiliaryVectorType.InterpreterBase, image.InterpreterBase,
            AuxiliaryVectorType.Flags, 0,
            AuxiliaryVectorType.Entry, image.Entry,
            AuxiliaryVectorType.UserId, ProcessIdentity.UserId,
            AuxiliaryVectorType.EffectiveUserId, ProcessIdentity.UserId,
            AuxiliaryVectorType.GroupId, ProcessIdentity.GroupId,
            AuxiliaryVectorType.EffectiveGroupId, ProcessIdentity.GroupId,
            AuxiliaryVectorType.Secure, 0,
            AuxiliaryVectorType.Random, randomAddress,
            AuxiliaryVectorType.ExecutableFileName, execfnAddress,
            AuxiliaryVectorType.Platform, platformAddress,
        ];

        var words = new List<ulong> { (ulong)argumentPointers.Length };
        words.AddRange(argumentPointers);
        words.Add(0);
        words.AddRange(environmentPointers);
        words.Add(0);
        if (image.SystemInfoHeader != 0)
        {
            words.AddRange([AuxiliaryVectorType.SystemInfoHeader, image.SystemInfoHeader]); // first, as Linux's ARCH_DLINFO puts it
        }

        words.AddRange(auxiliary);
        if (systemInfoEntry != 0)
        {
            words.AddRange([AuxiliaryVectorType.SystemInfo, systemInfoEntry]); // KML's direct entry
        }

        words.AddRange([AuxiliaryVectorType.Null, 0]);

        ulong rsp = (randomAddress - ((ulong)words.Count * 8)) & ~0xFUL;
        var table = new byte[words.Count * 8];
        for (int i = 0; i < words.Count; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(table.AsSpan(i * 8), words[i]);
        }

        memory.Space.Write(rsp, table);
        return rsp;
    }

    private static byte[] Terminated(string text)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }
}
