namespace KmlSim.Kernel.Boot;

/// <summary>
/// Where the simulated kernel lives and the layouts its entry code and C# side share. The kernel occupies
/// the top 2 GiB (as Linux's kernel text mapping does, so that its addresses fit a sign-extended 32-bit
/// displacement: the dispatch is <c>call [table + rax*8]</c> with the table's address in the instruction).
/// Every process's page tables share the PML4 entry that maps it.
/// </summary>
internal static class KernelLayout
{
    /// <summary>Base of the kernel image.</summary>
    public const ulong Base = 0xFFFF_FFFF_8000_0000;

    /// <summary>Entry and exit code (read-only, executable, supervisor).</summary>
    public const ulong Text = Base;

    /// <summary>Bytes reserved for the text.</summary>
    public const int TextSize = 0x2000;

    /// <summary>The system call table: one 8-byte handler address per call number.</summary>
    public const ulong SyscallTable = Base + 0x2000;

    /// <summary>Entries in the table: the highest number plus one (x86-64 Linux numbers run below 512).</summary>
    public const int SyscallTableEntries = 512;

    /// <summary>GDT, TSS and IDT (<see cref="Interrupts.SystemTables"/>).</summary>
    public const ulong Tables = Base + 0x4000;

    /// <summary>The per-CPU data area (Linux 2.6's PDA), what GS.base holds in the kernel.</summary>
    public const ulong PerCpu = Base + 0x6000;

    /// <summary>PDA: the current task's id.</summary>
    public const int PdaCurrent = 0;

    /// <summary>PDA: the user RSP saved by the SYSCALL entry (Linux's <c>pda_oldrsp</c>).</summary>
    public const int PdaOldRsp = 8;

    /// <summary>PDA: top of the current task's kernel stack (Linux's <c>pda_kernelstack</c>).</summary>
    public const int PdaKernelStack = 16;

    /// <summary>Interrupt stacks (IST1..IST7), one page each, with a guard page below each.</summary>
    public const ulong InterruptStacks = Base + 0x10000;

    /// <summary>Kernel stacks, one <see cref="KernelStackSlot"/> per task slot (the stack plus a guard page).</summary>
    public const ulong KernelStacks = Base + 0x40000;

    /// <summary>Bytes of a kernel stack (Linux's THREAD_SIZE on x86-64 2.6: two pages).</summary>
    public const int ThreadSize = 0x2000;

    /// <summary>Distance between kernel stacks (a stack and an unmapped guard page).</summary>
    public const ulong KernelStackSlot = 0x4000;

    /// <summary>
    /// The legacy vsyscall page (Linux's VSYSCALL_START): fixed in every address space, never mapped here; a
    /// call to one of its entries is served in user mode (see <see cref="Observation.VsyscallEntry"/>).
    /// </summary>
    public const ulong VsyscallPage = 0xFFFF_FFFF_FF60_0000;

    /// <summary>First address of the kernel half: bit 63 set. The entry code tells a user RSP from a kernel RSP by this bit.</summary>
    public const ulong KernelHalf = 0xFFFF_8000_0000_0000;

    // --- thread_info at the bottom of each kernel stack ---------------------------------------------

    /// <summary>thread_info: the TIF flag word (32 bits).</summary>
    public const int ThreadInfoFlags = 0;

    /// <summary>TIF bit: the task was traced (ptrace is not modelled; the bit is never set).</summary>
    public const int TifSyscallTrace = 0;

    /// <summary>TIF bit: a signal is pending.</summary>
    public const int TifSigPending = 2;

    /// <summary>TIF bit: the scheduler wants to run another task.</summary>
    public const int TifNeedResched = 3;

    /// <summary>TIF bit (KML): the task is a kernel-mode user process; its exit path is the direct return.</summary>
    public const int TifKernelModeUser = 16;

    /// <summary>The flags that force the slow exit path (Linux's _TIF_ALLWORK_MASK, reduced).</summary>
    public const int WorkMask = (1 << TifSigPending) | (1 << TifNeedResched);

    // --- the register frame (Linux 2.6 x86-64 struct pt_regs), offsets from its base ------------------

    /// <summary>Bytes of the frame (21 quadwords).</summary>
    public const int FrameSize = 21 * 8;

    /// <summary>Frame offsets of R15..RBX (the callee-saved registers, saved only on slow paths and interrupts).</summary>
    public const int R15 = 0, R14 = 8, R13 = 16, R12 = 24, Rbp = 32, Rbx = 40;

    /// <summary>Frame offsets of the argument and scratch registers.</summary>
    public const int R11 = 48, R10 = 56, R9 = 64, R8 = 72, Rax = 80, Rcx = 88, Rdx = 96, Rsi = 104, Rdi = 112;

    /// <summary>Frame offset of the system call number (or the exception's error code).</summary>
    public const int OrigRax = 120;

    /// <summary>Frame offsets of the hardware interrupt frame.</summary>
    public const int Rip = 128, Cs = 136, Rflags = 144, Rsp = 152, Ss = 160;

    /// <summary>The interrupt vector of the local timer (Linux 2.6's LOCAL_TIMER_VECTOR).</summary>
    public const byte TimerVector = 0xEF;

    /// <summary>The vector through which the host delivers a signal to a process (a console interrupt, as a Ctrl-C is).</summary>
    public const byte HostSignalVector = 0xF0;

    /// <summary>The kernel stack top of task slot <paramref name="slot"/>.</summary>
    public static ulong KernelStackTop(int slot) => KernelStacks + ((ulong)slot * KernelStackSlot) + KernelStackSlot;

    /// <summary>The top of interrupt stack <paramref name="index"/> (1-7).</summary>
    public static ulong InterruptStackTop(int index) => InterruptStacks + ((ulong)index * 0x2000);
}
