namespace KmlSim.Kernel.Process;

/// <summary>Auxiliary vector entry types (Linux include/uapi/linux/auxvec.h) that the initial stack carries.</summary>
internal static class AuxiliaryVectorType
{
    /// <summary>AT_NULL: ends the vector.</summary>
    public const ulong Null = 0;
    /// <summary>AT_PHDR: program headers in memory.</summary>
    public const ulong ProgramHeaders = 3;
    /// <summary>AT_PHENT: size of a program header.</summary>
    public const ulong ProgramHeaderSize = 4;
    /// <summary>AT_PHNUM: number of program headers.</summary>
    public const ulong ProgramHeaderCount = 5;
    /// <summary>AT_PAGESZ.</summary>
    public const ulong PageSize = 6;
    /// <summary>AT_BASE: the interpreter's base (0: no interpreter).</summary>
    public const ulong InterpreterBase = 7;
    /// <summary>AT_FLAGS.</summary>
    public const ulong Flags = 8;
    /// <summary>AT_ENTRY: the program's entry point.</summary>
    public const ulong Entry = 9;
    /// <summary>AT_UID.</summary>
    public const ulong UserId = 11;
    /// <summary>AT_EUID.</summary>
    public const ulong EffectiveUserId = 12;
    /// <summary>AT_GID.</summary>
    public const ulong GroupId = 13;
    /// <summary>AT_EGID.</summary>
    public const ulong EffectiveGroupId = 14;
    /// <summary>AT_PLATFORM: address of the string "x86_64".</summary>
    public const ulong Platform = 15;
    /// <summary>AT_HWCAP: CPUID 1 EDX.</summary>
    public const ulong HardwareCapabilities = 16;
    /// <summary>AT_CLKTCK: the clock_t frequency.</summary>
    public const ulong ClockTick = 17;
    /// <summary>AT_SECURE: set-uid style secure mode.</summary>
    public const ulong Secure = 23;
    /// <summary>AT_RANDOM: address of 16 random bytes (the stack protector and pointer guard seeds).</summary>
    public const ulong Random = 25;
    /// <summary>AT_EXECFN: address of the executed file name.</summary>
    public const ulong ExecutableFileName = 31;

    /// <summary>AT_SYSINFO: the kernel's system call entry (KML passes its direct-call entry here).</summary>
    public const ulong SystemInfo = 32;

    /// <summary>AT_SYSINFO_EHDR: the address of the vDSO's ELF header.</summary>
    public const ulong SystemInfoHeader = 33;
}
