/* A dynamically linked program: what ld.so set up (the auxiliary vector it was given, the program's
   own headers found through AT_PHDR), a library loaded at run time with dlopen and a symbol from it,
   and libc's own routines reached through the PLT. Prints nothing that depends on where things were
   mapped or on the host's CPU, so the native run and the simulated one print the same. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>

static int count_objects(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    if (info->dlpi_name[0] != '\0' && strstr(info->dlpi_name, "linux-vdso") == NULL)
        ++*(int *)data; /* the shared libraries; the vDSO is counted apart */
    return 0;
}

int main(int argc, char **argv)
{
    const char *execfn = (const char *)getauxval(AT_EXECFN);
    const char *base = strrchr(execfn, '/');
    printf("AT_EXECFN basename %s, argv[0] basename %s\n", base ? base + 1 : execfn, strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0]);
    printf("AT_BASE set %d, AT_PAGESZ %lu, AT_PHENT %lu, AT_SECURE %lu, AT_PLATFORM %s\n",
           getauxval(AT_BASE) != 0, getauxval(AT_PAGESZ), getauxval(AT_PHENT), getauxval(AT_SECURE),
           (const char *)getauxval(AT_PLATFORM));

    const ElfW(Phdr) *phdr = (const ElfW(Phdr) *)getauxval(AT_PHDR);
    int loads = 0, interp = 0;
    for (unsigned long i = 0; i < getauxval(AT_PHNUM); i++) {
        loads += phdr[i].p_type == PT_LOAD;
        interp += phdr[i].p_type == PT_INTERP;
    }
    printf("program headers: %lu, PT_LOAD %d, PT_INTERP %d\n", getauxval(AT_PHNUM), loads, interp);

    int before = 0, after = 0;
    dl_iterate_phdr(count_objects, &before);
    void *libm = dlopen("libm.so.6", RTLD_NOW);
    if (libm == NULL) {
        printf("dlopen failed: %s\n", dlerror());
        return 1;
    }
    double (*cosine)(double) = (double (*)(double))dlsym(libm, "cos");
    double (*power)(double, double) = (double (*)(double, double))dlsym(libm, "pow");
    dl_iterate_phdr(count_objects, &after);
    printf("cos(0) = %.3f, pow(2, 10) = %.0f, shared objects %d -> %d\n", cosine(0.0), power(2.0, 10.0), before, after);
    if (dlsym(libm, "no_such_symbol") == NULL)
        printf("missing symbol: %s\n", strstr(dlerror(), "no_such_symbol") ? "reported" : "?");
    dlclose(libm);
    return argc - 1;
}
