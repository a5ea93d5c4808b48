using Iced.Intel;
using KmlSim.Interrupts;
using KmlSim.KernelModes;
using static Iced.Intel.AssemblerRegisters;
using static KmlSim.Kernel.Boot.KernelLayout;

namespace KmlSim.Kernel.Boot;

/// <summary>
/// The kernel's entry and exit code, assembled at boot with Iced's <see cref="Assembler"/> into the kernel
/// text, following the real paths step by step (Linux 2.6.11 <c>entry.S</c>; KML's
/// direct entry). Each mode gets its own assembly: the KML parts (direct entry, the kernel-mode-user exit
/// test, moving a ring-0 process's interrupt frame to the kernel stack) exist only where the policy asks.
/// Three host-call stubs (<c>vmcall; ret</c>, see <see cref="Execution.Cpu"/>'s host calls) hand over to
/// C#: the system call body (every table entry points at it; the body reads the number from RAX), the
/// interrupt/exception handler (RDI = frame, ESI = vector) and the exit work (RDI = frame: signals, schedule).
/// </summary>
internal sealed class EntryCode
{
    /// <summary>Bytes of a host-call stub: <c>vmcall</c> (0F 01 C1) and <c>ret</c> (C3).</summary>
    public const int HostCallLength = 4;

    private const ulong Enosys = unchecked((ulong)-38L);

    private EntryCode(byte[] bytes, ulong[] vectorStubs)
    {
        Bytes = bytes;
        VectorStubs = vectorStubs;
    }

    /// <summary>The machine code, to be placed at <see cref="KernelLayout.Text"/>.</summary>
    public byte[] Bytes { get; }

    /// <summary>The gate target of each vector that has one (0 elsewhere).</summary>
    public ulong[] VectorStubs { get; }

    /// <summary>MSR_LSTAR: the SYSCALL entry (<c>system_call</c>).</summary>
    public ulong SystemCall { get; private set; }

    /// <summary>KML's direct entry (<c>kml_call_entry</c>, AT_SYSINFO), or 0 when the mode has none.</summary>
    public ulong DirectEntry { get; private set; }

    /// <summary>The host call of every system call table entry.</summary>
    public ulong SyscallHost { get; private set; }

    /// <summary>The host call of the interrupt and exception handlers.</summary>
    public ulong InterruptHost { get; private set; }

    /// <summary>The host call of the exit work (pending signals, rescheduling).</summary>
    public ulong WorkHost { get; private set; }

    /// <summary>
    /// The common interrupt return (Linux's <c>int_ret_from_sys_call</c>): with a complete frame at RSP it
    /// runs the exit work and returns with IRETQ. rt_sigreturn leaves through it, as Linux's stub does,
    /// because it must restore every register, which the SYSRET path does not.
    /// </summary>
    public ulong InterruptReturn { get; private set; }

    /// <summary>
    /// The IRETQ that ends the interrupt return: the one kernel instruction with an exception-table fixup.
    /// It faults (#GP, #SS, #NP) when the frame it pops is bad (a forged rt_sigreturn frame), and the kernel
    /// then makes that the fault of the process it was returning to, as Linux's <c>fixup_bad_iret</c> does.
    /// </summary>
    public ulong ReturnIret { get; private set; }

    /// <summary>The vectors that get a gate: the 32 exceptions, the timer and the host's signal interrupt.</summary>
    public static IEnumerable<byte> Vectors()
    {
        for (int v = 0; v < 32; v++)
        {
            yield return (byte)v;
        }

        yield return TimerVector;
        yield return HostSignalVector;
    }

    /// <summary>True for the exceptions whose frame carries an error code (AMD64 APM vol. 2, table 8-1).</summary>
    public static bool PushesErrorCode(byte vector) => vector is 8 or 10 or 11 or 12 or 13 or 14 or 17;

    /// <summary>Assembles the entry code for a kernel mode.</summary>
    public static EntryCode Assemble(IKernelModePolicy mode)
    {
        var a = new Assembler(64);
        var systemCall = a.CreateLabel();
        var afterSwapgs = a.CreateLabel();
        var badSys = a.CreateLabel();
        var retFromSysCall = a.CreateLabel();
        var sysretCareful = a.CreateLabel();
        var saveRest = a.CreateLabel();
        var syscallHost = a.CreateLabel();
        var interruptHost = a.CreateLabel();
        var workHost = a.CreateLabel();
        var commonInterrupt = a.CreateLabel();
        var handleInterrupt = a.CreateLabel();
        var retFromIntr = a.CreateLabel();
        var retintUser = a.CreateLabel();
        var retintCareful = a.CreateLabel();
        var restoreAll = a.CreateLabel();
        var returnIret = a.CreateLabel();
        var directEntry = a.CreateLabel();
        var kmlExit = a.CreateLabel();
        var kmlReturn = a.CreateLabel();
        var kmlFrame = a.CreateLabel();
        bool kml = mode.HasDirectEntry;

        // --- Stock SYSCALL entry (entry-paths.md steps 1-12) ---------------------------------------
        a.Label(ref systemCall);
        a.swapgs();                                                  // 1
        a.mov(__qword_ptr.gs[PdaOldRsp], rsp);                       // 2
        a.mov(rsp, __qword_ptr.gs[PdaKernelStack]);                  // 3
        a.sti();                                                     // 4
        a.Label(ref afterSwapgs);
        a.sub(rsp, FrameSize);                                       // 5
        a.mov(__qword_ptr[rsp + Rdi], rdi);
        a.mov(__qword_ptr[rsp + Rsi], rsi);
        a.mov(__qword_ptr[rsp + Rdx], rdx);
        a.mov(__qword_ptr[rsp + Rax], rax);
        a.mov(__qword_ptr[rsp + R8], r8);
        a.mov(__qword_ptr[rsp + R9], r9);
        a.mov(__qword_ptr[rsp + R10], r10);
        a.mov(__qword_ptr[rsp + R11], r11);
        a.mov(__qword_ptr[rsp + OrigRax], rax);                      // 6
        a.mov(__qword_ptr[rsp + Rip], rcx);
        a.mov(rcx, __qword_ptr.gs[PdaKernelStack]);                  // 7: thread_info
        a.sub(rcx, ThreadSize);
        a.test(__dword_ptr[rcx + ThreadInfoFlags], 1 << TifSyscallTrace); // ptrace is not modelled: a traced call would get ENOSYS
        a.jnz(badSys);
        a.cmp(rax, SyscallTableEntries - 1);                         // 8
        a.ja(badSys);
        a.mov(rcx, r10);                                             // 9
        a.call(__qword_ptr[rax * 8 + unchecked((long)SyscallTable)]); // 10 (11: the handler)
        a.mov(__qword_ptr[rsp + Rax], rax);                          // 12

        // --- SYSCALL exit, fast path (steps 13-19) ---------------------------------------------------
        a.Label(ref retFromSysCall);
        a.mov(edi, WorkMask);                                        // 13
        a.mov(rcx, __qword_ptr.gs[PdaKernelStack]);
        a.sub(rcx, ThreadSize);
        a.cli();                                                     // 14
        a.mov(edx, __dword_ptr[rcx + ThreadInfoFlags]);
        a.and(edx, edi);
        a.jnz(sysretCareful);
        if (kml)
        {
            a.bt(__dword_ptr[rcx + ThreadInfoFlags], TifKernelModeUser); // KML step 6
            a.jc(kmlExit);
        }

        a.mov(rcx, __qword_ptr[rsp + Rip]);                          // 15
        RestoreArguments(a);                                         // 16
        a.mov(rsp, __qword_ptr.gs[PdaOldRsp]);                       // 17
        a.swapgs();                                                  // 18
        a.sysretq();                                                 // 19

        a.Label(ref badSys);
        a.mov(__qword_ptr[rsp + Rax], unchecked((int)Enosys));
        a.jmp(retFromSysCall);

        // Slow exit: complete the frame as an interrupt frame (Linux's FIXUP_TOP_OF_STACK + SAVE_REST) and
        // take the interrupt return's work loop, which ends in IRETQ.
        a.Label(ref sysretCareful);
        a.sti();
        a.mov(rcx, __qword_ptr.gs[PdaOldRsp]);
        a.mov(__qword_ptr[rsp + Rsp], rcx);
        a.mov(rcx, __qword_ptr[rsp + R11]);
        a.mov(__qword_ptr[rsp + Rflags], rcx);
        a.mov(rcx, __qword_ptr[rsp + Rip]);
        a.mov(__qword_ptr[rsp + Rcx], rcx);
        if (kml)
        {
            a.mov(rcx, __qword_ptr.gs[PdaKernelStack]);
            a.sub(rcx, ThreadSize);
            a.bt(__dword_ptr[rcx + ThreadInfoFlags], TifKernelModeUser);
            a.jc(kmlFrame);
        }

        a.mov(__qword_ptr[rsp + Cs], SystemTables.UserCode);
        a.mov(__qword_ptr[rsp + Ss], SystemTables.UserData);
        a.jmp(saveRest);
        if (kml)
        {
            a.Label(ref kmlFrame);
            a.mov(__qword_ptr[rsp + Cs], SystemTables.KernelCode);
            a.mov(__qword_ptr[rsp + Ss], SystemTables.KernelData);
        }

        a.Label(ref saveRest);
        a.mov(__qword_ptr[rsp + Rbx], rbx);
        a.mov(__qword_ptr[rsp + Rbp], rbp);
        a.mov(__qword_ptr[rsp + R12], r12);
        a.mov(__qword_ptr[rsp + R13], r13);
        a.mov(__qword_ptr[rsp + R14], r14);
        a.mov(__qword_ptr[rsp + R15], r15);
        a.jmp(retintCareful);

        // --- KML direct entry and return (KML steps 1-10) ---------------------------------------------
        if (kml)
        {
            a.Label(ref directEntry);
            a.lea(rcx, __[kmlReturn]);                               // 1
            a.pushfq();                                              // 2
            a.pop(r11);
            a.cli();                                                 // 3
            var common = a.CreateLabel();
            a.jmp(common);
            a.Label(ref common);
            a.mov(__qword_ptr.gs[PdaOldRsp], rsp);                   // 4
            a.mov(rsp, __qword_ptr.gs[PdaKernelStack]);
            a.sti();
            a.jmp(afterSwapgs);                                      // 5

            a.Label(ref kmlExit);
            a.mov(rcx, __qword_ptr[rsp + Rip]);                      // 7
            RestoreArguments(a);
            a.mov(rsp, __qword_ptr.gs[PdaOldRsp]);                   // (8: no swapgs)
            a.push(r11);                                             // 9
            a.popfq();
            a.jmp(rcx);                                              // 10
            a.Label(ref kmlReturn);
            a.ret();
        }

        // --- Host calls ---------------------------------------------------------------------------------
        a.Label(ref syscallHost);
        a.vmcall();
        a.ret();
        a.Label(ref interruptHost);
        a.vmcall();
        a.ret();
        a.Label(ref workHost);
        a.vmcall();
        a.ret();

        // --- Interrupt and exception entry ---------------------------------------------------------
        // Each gate's stub pushes a zero error code where the CPU pushes none (it fills the ORIG_RAX slot)
        // and the vector (in the RDI slot until RDI is saved), then joins the common code.
        var stubLabels = new Dictionary<byte, Label>();
        foreach (byte vector in Vectors())
        {
            var stub = a.CreateLabel();
            a.Label(ref stub);
            stubLabels[vector] = stub;
            if (!PushesErrorCode(vector))
            {
                a.push(0);
            }

            a.push(vector);
            a.jmp(commonInterrupt);
        }

        a.Label(ref commonInterrupt);
        a.sub(rsp, Rdi);
        SaveAllButRdi(a);
        a.mov(r12d, __dword_ptr[rsp + Rdi]);                         // the vector
        a.mov(__qword_ptr[rsp + Rdi], rdi);
        a.cld(); // the interrupted code may have set DF; the kernel's string copy needs it clear
        if (mode.MovesKernelModeUserFrames)
        {
            // KML: wherever the CPU pushed the frame (an IST stack, or under KmlWithoutIst the interrupted
            // ring-0 process's own stack), move it to where the kernel expects it: the top of the task's
            // kernel stack when a process (ring 3, or ring 0 with a user RSP) was interrupted, else just
            // below the interrupted kernel RSP. The frame's CS and RSP later tell the exit code which it is.
            var fromRing3 = a.CreateLabel();
            var fromKernel = a.CreateLabel();
            var moveFrame = a.CreateLabel();
            a.test(__byte_ptr[rsp + Cs], 3);
            a.jnz(fromRing3);
            a.mov(rax, __qword_ptr[rsp + Rsp]);
            a.bt(rax, 63);
            a.jc(fromKernel);
            a.mov(rdi, __qword_ptr.gs[PdaKernelStack]);              // a ring-0 process: GS already holds the PDA
            a.jmp(moveFrame);
            a.Label(ref fromRing3);
            a.swapgs();
            a.mov(rdi, __qword_ptr.gs[PdaKernelStack]);
            a.jmp(moveFrame);
            a.Label(ref fromKernel);
            a.mov(rdi, rax);
            a.and(rdi, -16);
            a.Label(ref moveFrame);
            a.sub(rdi, FrameSize);
            a.mov(rsi, rsp);
            a.mov(ecx, FrameSize / 8);
            a.mov(rax, rdi);
            a.rep.movsq();
            a.mov(rsp, rax);
        }
        else
        {
            a.test(__byte_ptr[rsp + Cs], 3);
            a.jz(handleInterrupt);
            a.swapgs();
        }

        a.Label(ref handleInterrupt);
        a.mov(rdi, rsp);
        a.mov(esi, r12d);
        a.call(interruptHost);

        // --- Interrupt return (also the SYSCALL slow exit and a forked child's first return) ---------
        a.Label(ref retFromIntr);
        a.cli();
        a.test(__byte_ptr[rsp + Cs], 3);
        a.jnz(retintUser);
        if (mode.MovesKernelModeUserFrames)
        {
            a.mov(rax, __qword_ptr[rsp + Rsp]);
            a.bt(rax, 63);
            a.jnc(retintUser);                                       // a ring-0 process: user work, no SWAPGS
        }

        a.jmp(restoreAll);                                           // kernel code was interrupted: no preemption
        a.Label(ref retintUser);
        a.mov(rcx, __qword_ptr.gs[PdaKernelStack]);
        a.sub(rcx, ThreadSize);
        a.mov(edx, __dword_ptr[rcx + ThreadInfoFlags]);
        a.and(edx, WorkMask);
        a.jnz(retintCareful);
        if (mode.MovesKernelModeUserFrames)
        {
            a.test(__byte_ptr[rsp + Cs], 3);
            a.jz(restoreAll);
        }

        a.swapgs();
        a.Label(ref restoreAll);
        a.mov(r15, __qword_ptr[rsp + R15]);
        a.mov(r14, __qword_ptr[rsp + R14]);
        a.mov(r13, __qword_ptr[rsp + R13]);
        a.mov(r12, __qword_ptr[rsp + R12]);
        a.mov(rbp, __qword_ptr[rsp + Rbp]);
        a.mov(rbx, __qword_ptr[rsp + Rbx]);
        a.mov(rcx, __qword_ptr[rsp + Rcx]);
        RestoreArguments(a);
        a.add(rsp, Rip);
        a.Label(ref returnIret);
        a.iretq();
        a.Label(ref retintCareful);
        a.sti();
        a.mov(rdi, rsp);
        a.call(workHost);
        a.jmp(retFromIntr);

        var writer = new Decoding.ByteCodeWriter();
        AssemblerResult result = a.Assemble(writer, Text, BlockEncoderOptions.ReturnNewInstructionOffsets);
        byte[] bytes = writer.ToArray();
        if (bytes.Length > TextSize)
        {
            throw new InvalidOperationException($"the entry code ({bytes.Length} bytes) does not fit the kernel text");
        }

        var stubs = new ulong[256];
        foreach ((byte vector, Label label) in stubLabels)
        {
            stubs[vector] = result.GetLabelRIP(label);
        }

        return new EntryCode(bytes, stubs)
        {
            SystemCall = result.GetLabelRIP(systemCall),
            DirectEntry = kml ? result.GetLabelRIP(directEntry) : 0,
            SyscallHost = result.GetLabelRIP(syscallHost),
            InterruptHost = result.GetLabelRIP(interruptHost),
            WorkHost = result.GetLabelRIP(workHost),
            InterruptReturn = result.GetLabelRIP(retFromIntr),
            ReturnIret = result.GetLabelRIP(returnIret),
        };
    }

    /// <summary>Loads the 8 registers the SYSCALL entry saved (R11 carries the user RFLAGS).</summary>
    private static void RestoreArguments(Assembler a)
    {
        a.mov(r11, __qword_ptr[rsp + R11]);
        a.mov(r10, __qword_ptr[rsp + R10]);
        a.mov(r9, __qword_ptr[rsp + R9]);
        a.mov(r8, __qword_ptr[rsp + R8]);
        a.mov(rax, __qword_ptr[rsp + Rax]);
        a.mov(rdx, __qword_ptr[rsp + Rdx]);
        a.mov(rsi, __qword_ptr[rsp + Rsi]);
        a.mov(rdi, __qword_ptr[rsp + Rdi]);
    }

    /// <summary>Saves every general register but RDI (whose slot holds the vector) into the frame.</summary>
    private static void SaveAllButRdi(Assembler a)
    {
        a.mov(__qword_ptr[rsp + R15], r15);
        a.mov(__qword_ptr[rsp + R14], r14);
        a.mov(__qword_ptr[rsp + R13], r13);
        a.mov(__qword_ptr[rsp + R12], r12);
        a.mov(__qword_ptr[rsp + Rbp], rbp);
        a.mov(__qword_ptr[rsp + Rbx], rbx);
        a.mov(__qword_ptr[rsp + R11], r11);
        a.mov(__qword_ptr[rsp + R10], r10);
        a.mov(__qword_ptr[rsp + R9], r9);
        a.mov(__qword_ptr[rsp + R8], r8);
        a.mov(__qword_ptr[rsp + Rax], rax);
        a.mov(__qword_ptr[rsp + Rcx], rcx);
        a.mov(__qword_ptr[rsp + Rdx], rdx);
        a.mov(__qword_ptr[rsp + Rsi], rsi);
    }
}
