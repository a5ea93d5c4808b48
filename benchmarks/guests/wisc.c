/* wisc: the Wisconsin benchmark analog (sql-bench's test-wisconsin) on SQLite (Debian's static
 * libsqlite3.a; link with -lsqlite3 -lpthread -ldl -lm).
 *
 *   wisc --db PATH [--create] [--loops N] [--queries 1,2,5] [--cache PAGES]
 *        [--variant client-server|single|memory] [--seed S]
 *
 * --create      builds the pristine database at PATH (four tables onek, tenk1, tenk2, Bprime with the
 *               16 columns and keys of sql-bench's test-wisconsin, data from a permutation seeded by
 *               --seed, default 1) and exits. That load phase is not part of a measured run.
 * otherwise     opens PATH and runs the loops: each selected SELECT (1-10) runs N times back to back
 *               (prepare, execute, fetch every row, finish); number 11 is the block of 14 single writes
 *               (4 inserts into tenk1, 4 deletes by unique2, 6 updates of unique2), run once after them.
 *               --queries picks the numbers (default 1-11). --cache sets PRAGMA cache_size in pages
 *               (a few pages behave like MyISAM, which caches no data rows: one pread64 per access).
 * variants      client-server (default): socketpair(AF_UNIX, SOCK_STREAM) + fork; the child is the
 *               server and owns the database, the parent is the client, and they talk the way
 *               libmysqlclient and a MySQL 4.1 connection thread do (see client_* and server_* below).
 *               single: the same statements in one process, no socket.
 *               memory: one process on an in-memory database, copied from PATH with SQLite's backup
 *               API at start and PATH closed again (a few reads at start-up, then almost no system
 *               calls; copying is far cheaper than reloading the tables, and gives the same data).
 *
 * Output (stdout, by the client or the single process): for each selected number in order
 *   "query Q rows R"            (R = rows fetched over all N executions)     for 1-10
 *   "query 11 writes 14 changed C"  (C = rows the writes changed)
 * then "total rows T" and "checksum X" (X = 16 hex digits: FNV-1a 64 over every fetched value, each
 * fed as its 4-byte little-endian length, or 0xFFFFFFFF for NULL, then its text). All variants print the
 * same lines for the same database, so a simulated run can be compared with a native one bit for bit. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define SELECT_COUNT 10
#define WRITE_BLOCK 11 /* the query number of the 14 single writes */
#define NET_BUFFER 16384 /* libmysqlclient's and the server's net buffer size */
#define UNBUFFERED_READ_MIN 2048 /* client reads at least this long bypass its read buffer (vio_read_buff) */
#define COM_QUIT 1
#define COM_QUERY 3

static const char *const columns[16] = {
    "unique1", "unique2", "two", "four", "ten", "twenty", "hundred", "thousand", "twothousand",
    "fivethous", "tenthous", "odd", "even", "stringu1", "stringu2", "string4",
};

static void fail(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    fputs("wisc: ", stderr);
    vfprintf(stderr, format, args);
    fputc('\n', stderr);
    va_end(args);
    exit(2);
}

static void check(sqlite3 *db, int rc, const char *what)
{
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
        fail("%s: %s", what, sqlite3_errmsg(db));
}

static void exec_sql(sqlite3 *db, const char *sql)
{
    char *message = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &message) != SQLITE_OK)
        fail("%s: %s", sql, message ? message : "?");
}

/* ---------------------------------------------------------------- statements */

/* "t1.*, t2.unique1 AS t2unique1, ..." : all columns of one alias plus all of another, renamed. */
static void append_renamed(char *sql, size_t size, const char *alias, const char *prefix)
{
    for (int c = 0; c < 16; c++) {
        size_t used = strlen(sql);
        snprintf(sql + used, size - used, ", %s.%s AS %s%s", alias, columns[c], prefix, columns[c]);
    }
}

/* The SQL of SELECT number q (1-10), written into sql. */
static void select_sql(int q, char *sql, size_t size)
{
    switch (q) {
    case 1:
    case 4:
        snprintf(sql, size, "select * from tenk1 where (unique2 > 301) and (unique2 < 402)");
        break;
    case 2:
        snprintf(sql, size, "select * from tenk1 where (unique1 > 647) and (unique1 < 1648)");
        break;
    case 3:
        snprintf(sql, size, "select * from tenk1 where unique2 = 2001");
        break;
    case 5:
        snprintf(sql, size, "select t1.*");
        append_renamed(sql, size, "t2", "t2");
        strncat(sql, " from tenk1 t1, tenk1 t2 where (t1.unique2 = t2.unique2) and (t2.unique2 < 1000)", size - strlen(sql) - 1);
        break;
    case 6:
        snprintf(sql, size, "select t.*");
        append_renamed(sql, size, "B", "B");
        strncat(sql, " from tenk1 t, Bprime B where t.unique2 = B.unique2", size - strlen(sql) - 1);
        break;
    case 7:
        snprintf(sql, size, "select t1.*");
        append_renamed(sql, size, "o", "o");
        strncat(sql, " from onek o, tenk1 t1, tenk1 t2 where (o.unique2 = t1.unique2) and (t1.unique2 = t2.unique2)"
                     " and (t1.unique2 < 1000) and (t2.unique2 < 1000)", size - strlen(sql) - 1);
        break;
    case 8:
        snprintf(sql, size, "select two, four, ten, twenty, hundred, string4 from tenk1");
        break;
    case 9:
        snprintf(sql, size, "select * from onek");
        break;
    default:
        snprintf(sql, size, "select MIN(unique2) as x from tenk1");
        break;
    }
}

/* The 14 single writes, in the order and of the kinds of test-wisconsin (2 inserts, 2 deletes, 2 updates,
   2 inserts, 2 deletes, 4 updates); the new rows carry keys above the loaded ones. */
static void write_sql(int w, char *sql, size_t size)
{
    static const int insert_keys[4][2] = { { 10001, 20001 }, { 10002, 20002 }, { 10003, 20003 }, { 10004, 20004 } };
    static const int delete_keys[4] = { 877, 876, 20001, 900 };
    static const int update_keys[6][2] = { { 30001, 1491 }, { 30002, 1480 }, { 30003, 187 }, { 30004, 2000 }, { 30005, 1974 }, { 30006, 1140 } };
    static const char kinds[14] = { 'i', 'i', 'd', 'd', 'u', 'u', 'i', 'i', 'd', 'd', 'u', 'u', 'u', 'u' };
    int index = 0;
    for (int k = 0; k < w; k++)
        if (kinds[k] == kinds[w]) index++;
    switch (kinds[w]) {
    case 'i':
        snprintf(sql, size,
                 "insert into tenk1 (unique1, unique2, two, four, ten, twenty, hundred, thousand, twothousand, fivethous,"
                 " tenthous, odd, even, stringu1, stringu2, string4) values (%d, %d, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 3,"
                 " 'inserted', 'row', 'wisconsin')", insert_keys[index][0], insert_keys[index][1]);
        break;
    case 'd':
        snprintf(sql, size, "delete from tenk1 where tenk1.unique2 = %d", delete_keys[index]);
        break;
    default:
        snprintf(sql, size, "update tenk1 set unique2 = %d where tenk1.unique2 = %d", update_keys[index][0], update_keys[index][1]);
        break;
    }
}

/* ---------------------------------------------------------------- the checksum */

static uint64_t checksum = 0xcbf29ce484222325ULL; /* FNV-1a 64 offset basis */

static void checksum_bytes(const unsigned char *bytes, size_t length)
{
    for (size_t i = 0; i < length; i++)
        checksum = (checksum ^ bytes[i]) * 0x100000001b3ULL;
}

/* One fetched value: its length (or 0xFFFFFFFF for NULL) as 4 little-endian bytes, then its text. */
static void checksum_value(const unsigned char *text, uint32_t length, int is_null)
{
    uint32_t marker = is_null ? 0xFFFFFFFFu : length;
    unsigned char prefix[4] = { marker & 0xFF, (marker >> 8) & 0xFF, (marker >> 16) & 0xFF, marker >> 24 };
    checksum_bytes(prefix, 4);
    if (!is_null) checksum_bytes(text, length);
}

/* ---------------------------------------------------------------- opening and loading */

static sqlite3 *open_database(const char *path, int cache_pages)
{
    sqlite3 *db;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        fail("cannot open %s: %s", path, sqlite3_errmsg(db));
    if (cache_pages > 0) {
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA cache_size = %d", cache_pages);
        exec_sql(db, pragma);
    }
    return db;
}

/* The memory variant's database: PATH copied into :memory: (see the file comment), PATH closed again. */
static sqlite3 *open_memory_copy(const char *path)
{
    sqlite3 *file, *memory;
    if (sqlite3_open_v2(path, &file, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        fail("cannot open %s: %s", path, sqlite3_errmsg(file));
    if (sqlite3_open(":memory:", &memory) != SQLITE_OK)
        fail("cannot open an in-memory database");
    sqlite3_backup *backup = sqlite3_backup_init(memory, "main", file, "main");
    if (backup == NULL)
        fail("backup: %s", sqlite3_errmsg(memory));
    sqlite3_backup_step(backup, -1);
    check(memory, sqlite3_backup_finish(backup), "backup");
    sqlite3_close(file);
    return memory;
}

/* A splitmix64 generator: the seeded permutations are the same on every host. */
static uint64_t random_state;

static uint64_t next_random(void)
{
    uint64_t z = (random_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void permutation(int *values, int count)
{
    for (int i = 0; i < count; i++) values[i] = i;
    for (int i = count - 1; i > 0; i--) {
        int j = (int)(next_random() % (uint64_t)(i + 1));
        int swap = values[i];
        values[i] = values[j];
        values[j] = swap;
    }
}

/* Base-26 letters of value, least significant first, padded with 'A' to 6 characters. */
static void letters(int value, char out[7])
{
    for (int i = 0; i < 6; i++) {
        out[i] = (char)('A' + value % 26);
        value /= 26;
    }
    out[6] = '\0';
}

static void create_table(sqlite3 *db, const char *name)
{
    char sql[1024];
    snprintf(sql, sizeof sql,
             "create table %s (unique1 int NOT NULL, unique2 int NOT NULL, two int, four int, ten int, twenty int,"
             " hundred int NOT NULL, thousand int, twothousand int, fivethous int, tenthous int, odd int, even int,"
             " stringu1 char(16), stringu2 char(16), string4 char(16));"
             "create unique index %s_unique1 on %s (unique1);"
             "create unique index %s_unique2 on %s (unique2);"
             "create index %s_hundred on %s (hundred);", name, name, name, name, name, name, name);
    exec_sql(db, sql);
}

/* Loads count rows by the data rules; onek differs from tenk in the moduli of hundred and upward. */
static void load_table(sqlite3 *db, const char *name, const int *unique1, int count, int onek)
{
    static const char *const string4[4] = { "AAAAxx", "HHHHxx", "OOOOxx", "VVVVxx" };
    char sql[256];
    sqlite3_stmt *insert;
    snprintf(sql, sizeof sql, "insert into %s values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", name);
    check(db, sqlite3_prepare_v2(db, sql, -1, &insert, NULL), sql);
    for (int u2 = 0; u2 < count; u2++) {
        int u1 = unique1[u2];
        int hundred = onek ? u1 % 10 : u1 % 100;
        int values[13] = { u1, u2, u1 % 2, u1 % 4, u1 % 10, u1 % 20, hundred, onek ? u1 % 100 : u1 % 1000,
                           onek ? u1 % 200 : u1 % 2000, onek ? u1 % 500 : u1 % 5000, u1, 2 * hundred, 2 * hundred + 1 };
        char s1[7], s2[7];
        letters(u1 % 676, s1);
        letters(u2, s2);
        for (int c = 0; c < 13; c++) sqlite3_bind_int(insert, c + 1, values[c]);
        sqlite3_bind_text(insert, 14, s1, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(insert, 15, s2, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(insert, 16, string4[u2 % 4], -1, SQLITE_STATIC);
        check(db, sqlite3_step(insert), name);
        sqlite3_reset(insert);
    }
    sqlite3_finalize(insert);
}

static void create_database(const char *path, uint64_t seed)
{
    static int tenk[10000], onek[1000];
    sqlite3 *db;
    unlink(path); /* start from nothing: a stale file or journal would change the result */
    if (sqlite3_open(path, &db) != SQLITE_OK)
        fail("cannot create %s: %s", path, sqlite3_errmsg(db));
    random_state = seed;
    permutation(onek, 1000);
    permutation(tenk, 10000);
    exec_sql(db, "begin");
    create_table(db, "onek");
    create_table(db, "tenk1");
    create_table(db, "tenk2");
    create_table(db, "Bprime");
    load_table(db, "onek", onek, 1000, 1);
    load_table(db, "tenk1", tenk, 10000, 0);
    load_table(db, "tenk2", tenk, 10000, 0);
    load_table(db, "Bprime", tenk, 10000, 0);
    exec_sql(db, "commit");
    exec_sql(db, "delete from Bprime where Bprime.unique2 >= 1000");
    check(db, sqlite3_close(db), "close");
}

/* ---------------------------------------------------------------- running in one process */

/* One SELECT in the single and memory variants: prepare, execute, fetch every value, finish. */
static long local_select(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *statement;
    long rows = 0;
    check(db, sqlite3_prepare_v2(db, sql, -1, &statement, NULL), sql);
    int count = sqlite3_column_count(statement);
    int rc;
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
        for (int c = 0; c < count; c++) {
            const unsigned char *text = sqlite3_column_text(statement, c);
            checksum_value(text, (uint32_t)sqlite3_column_bytes(statement, c), text == NULL);
        }
        rows++;
    }
    check(db, rc, sql);
    sqlite3_finalize(statement);
    return rows;
}

static long local_write(sqlite3 *db, const char *sql)
{
    exec_sql(db, sql);
    return sqlite3_changes(db);
}

/* ---------------------------------------------------------------- the server (a MySQL connection thread) */

static unsigned char out_buffer[NET_BUFFER];
static size_t out_used;
static int server_fd;
static int server_flags; /* the socket's status flags in its usual, non-blocking, mode */

/* net_real_write: the socket is non-blocking; when the peer's buffer is full (EAGAIN) the rest of this
   buffer is written in blocking mode (fcntl F_SETFL), and the socket is switched back afterwards. */
static void server_write(const unsigned char *bytes, size_t length)
{
    int switched = 0;
    while (length > 0) {
        ssize_t n = write(server_fd, bytes, length);
        if (n > 0) {
            bytes += n;
            length -= (size_t)n;
        } else if (n < 0 && errno == EAGAIN && !switched) {
            if (fcntl(server_fd, F_SETFL, server_flags & ~O_NONBLOCK) < 0) fail("fcntl: %s", strerror(errno));
            switched = 1;
        } else if (n < 0 && errno != EINTR) {
            fail("server write: %s", strerror(errno));
        }
    }
    if (switched && fcntl(server_fd, F_SETFL, server_flags) < 0) fail("fcntl: %s", strerror(errno));
}

/* The client's socket is blocking: a write returns when all of it is queued. */
static void write_all(int fd, const unsigned char *bytes, size_t length)
{
    while (length > 0) {
        ssize_t n = write(fd, bytes, length);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) fail("write: %s", strerror(errno));
        bytes += n;
        length -= (size_t)n;
    }
}

/* Bytes go out through the 16 KB net buffer: written whenever it is full, and at the end of a result. */
static void net_put(const unsigned char *bytes, size_t length)
{
    while (length > 0) {
        size_t room = NET_BUFFER - out_used;
        size_t part = length < room ? length : room;
        memcpy(out_buffer + out_used, bytes, part);
        out_used += part;
        bytes += part;
        length -= part;
        if (out_used == NET_BUFFER) {
            server_write(out_buffer, out_used);
            out_used = 0;
        }
    }
}

static void net_flush(void)
{
    if (out_used > 0) server_write(out_buffer, out_used);
    out_used = 0;
}

/* A packet under construction: 4-byte header (3-byte length, sequence number) then the payload. */
static unsigned char packet[65536];
static size_t packet_used;
static unsigned char sequence;

static void packet_begin(void) { packet_used = 4; }

static void packet_byte(unsigned value) { packet[packet_used++] = (unsigned char)value; }

static void packet_length(uint64_t value) /* a length-coded integer */
{
    if (value < 251) {
        packet_byte((unsigned)value);
    } else if (value < 65536) {
        packet_byte(252);
        packet_byte(value & 0xFF);
        packet_byte((value >> 8) & 0xFF);
    } else {
        packet_byte(253);
        packet_byte(value & 0xFF);
        packet_byte((value >> 8) & 0xFF);
        packet_byte((value >> 16) & 0xFF);
    }
}

static void packet_string(const void *text, size_t length) /* a length-coded string */
{
    if (packet_used + length + 9 > sizeof packet) fail("row too long");
    packet_length(length);
    memcpy(packet + packet_used, text, length);
    packet_used += length;
}

static void packet_end(void)
{
    size_t length = packet_used - 4;
    packet[0] = length & 0xFF;
    packet[1] = (length >> 8) & 0xFF;
    packet[2] = (length >> 16) & 0xFF;
    packet[3] = sequence++;
    net_put(packet, packet_used);
}

static void send_eof(void)
{
    packet_begin();
    packet_byte(0xFE);
    for (int i = 0; i < 4; i++) packet_byte(0); /* warnings, status */
    packet_end();
}

static void send_ok(long changed)
{
    packet_begin();
    packet_byte(0x00);
    packet_length((uint64_t)changed);
    packet_length(0); /* insert id */
    for (int i = 0; i < 4; i++) packet_byte(0); /* status, warnings */
    packet_end();
}

static void send_error(const char *message)
{
    packet_begin();
    packet_byte(0xFF);
    packet_byte(0x28); /* error 1064 */
    packet_byte(0x04);
    packet_string(message, strlen(message));
    packet_end();
}

/* A MySQL 4.1 column definition packet. */
static void send_column(sqlite3_stmt *statement, int c)
{
    const char *name = sqlite3_column_name(statement, c);
    const char *type = sqlite3_column_decltype(statement, c);
    int integer = type == NULL || strncmp(type, "int", 3) == 0;
    packet_begin();
    packet_string("def", 3);
    packet_string("wisc", 4);
    packet_string("", 0); /* table */
    packet_string("", 0); /* original table */
    packet_string(name, strlen(name));
    packet_string(name, strlen(name));
    packet_byte(0x0C);
    packet_byte(8); /* character set latin1 */
    packet_byte(0);
    unsigned width = integer ? 11 : 16;
    for (int i = 0; i < 4; i++) packet_byte((width >> (8 * i)) & 0xFF);
    packet_byte(integer ? 3 : 254); /* MYSQL_TYPE_LONG, MYSQL_TYPE_STRING */
    packet_byte(0);
    packet_byte(0);
    packet_byte(0); /* decimals */
    packet_byte(0);
    packet_byte(0);
    packet_end();
}

/* Runs one statement and sends its result: column count, definitions, EOF, rows, EOF (or an OK packet). */
static void server_statement(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *statement;
    sequence = 1;
    if (sqlite3_prepare_v2(db, sql, -1, &statement, NULL) != SQLITE_OK) {
        send_error(sqlite3_errmsg(db));
        net_flush();
        return;
    }
    int count = sqlite3_column_count(statement);
    if (count == 0) {
        int rc = sqlite3_step(statement);
        sqlite3_finalize(statement);
        if (rc == SQLITE_DONE) send_ok(sqlite3_changes(db));
        else send_error(sqlite3_errmsg(db));
        net_flush();
        return;
    }
    packet_begin();
    packet_length((uint64_t)count);
    packet_end();
    for (int c = 0; c < count; c++) send_column(statement, c);
    send_eof();
    int rc;
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
        packet_begin();
        for (int c = 0; c < count; c++) {
            const unsigned char *text = sqlite3_column_text(statement, c);
            if (text == NULL) packet_byte(0xFB);
            else packet_string(text, (size_t)sqlite3_column_bytes(statement, c));
        }
        packet_end();
    }
    sqlite3_finalize(statement);
    if (rc == SQLITE_DONE) send_eof();
    else send_error(sqlite3_errmsg(db));
    net_flush();
}

/* Reads exactly length bytes the way the connection thread does: the socket is non-blocking; the first
   EAGAIN switches it to blocking with fcntl(F_SETFL) for the rest of the packet. Returns 0 at end of file. */
static int server_read(unsigned char *into, size_t length, int *switched)
{
    while (length > 0) {
        ssize_t n = read(server_fd, into, length);
        if (n > 0) {
            into += n;
            length -= (size_t)n;
        } else if (n == 0) {
            return 0;
        } else if (errno == EAGAIN && !*switched) {
            if (fcntl(server_fd, F_SETFL, server_flags & ~O_NONBLOCK) < 0) fail("fcntl: %s", strerror(errno));
            *switched = 1;
        } else if (errno != EINTR) {
            fail("server read: %s", strerror(errno));
        }
    }
    return 1;
}

static void run_server(const char *path, int cache_pages)
{
    sqlite3 *db = open_database(path, cache_pages);
    int flags = fcntl(server_fd, F_GETFL);
    if (flags < 0 || fcntl(server_fd, F_SETFL, flags | O_NONBLOCK) < 0) fail("fcntl: %s", strerror(errno));
    server_flags = flags | O_NONBLOCK;
    static unsigned char body[65536];
    for (;;) {
        unsigned char header[4];
        int switched = 0;
        if (!server_read(header, 4, &switched)) break;
        size_t length = header[0] | (size_t)header[1] << 8 | (size_t)header[2] << 16;
        if (length == 0 || length >= sizeof body || !server_read(body, length, &switched)) break;
        if (switched && fcntl(server_fd, F_SETFL, server_flags) < 0) fail("fcntl: %s", strerror(errno));
        if (body[0] == COM_QUIT) break;
        body[length] = '\0';
        if (body[0] == COM_QUERY) server_statement(db, (const char *)body + 1);
    }
    sqlite3_close(db);
}

/* ---------------------------------------------------------------- the client (libmysqlclient's pattern) */

static int client_fd;
static unsigned char read_buffer[NET_BUFFER];
static size_t read_start, read_end;

/* vio_read_buff: reads shorter than 2 KB are served from a 16 KB buffer, refilled by one read of up to
   16 KB; longer reads go straight into the caller's memory. */
static void client_read(unsigned char *into, size_t length)
{
    while (length > 0) {
        size_t part;
        if (read_end > read_start) {
            part = read_end - read_start < length ? read_end - read_start : length;
            memcpy(into, read_buffer + read_start, part);
            read_start += part;
        } else {
            ssize_t n = length < UNBUFFERED_READ_MIN ? read(client_fd, read_buffer, NET_BUFFER) : read(client_fd, into, length);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) fail("client read: %s", n == 0 ? "end of file" : strerror(errno));
            if (length < UNBUFFERED_READ_MIN) {
                read_start = 0;
                read_end = (size_t)n;
                continue;
            }
            part = (size_t)n;
        }
        into += part;
        length -= part;
    }
}

/* The stored result: every packet of the rows, kept whole (mysql_store_result) before the rows are walked.
   One arena, grown by doubling and kept across queries, so steady loops allocate nothing. */
static unsigned char *arena;
static size_t arena_size, arena_used;

static unsigned char *arena_take(size_t length)
{
    if (arena_used + length > arena_size) {
        size_t size = arena_size ? arena_size : 65536;
        while (size < arena_used + length) size *= 2;
        unsigned char *grown = malloc(size);
        if (grown == NULL) fail("out of memory");
        if (arena_used > 0) memcpy(grown, arena, arena_used);
        free(arena);
        arena = grown;
        arena_size = size;
    }
    unsigned char *at = arena + arena_used;
    arena_used += length;
    return at;
}

/* Reads one packet into the arena; returns its payload and sets *length. */
static unsigned char *client_packet(size_t *length)
{
    unsigned char header[4];
    client_read(header, 4);
    *length = header[0] | (size_t)header[1] << 8 | (size_t)header[2] << 16;
    unsigned char *payload = arena_take(*length);
    client_read(payload, *length);
    return payload;
}

static uint64_t read_length(const unsigned char **at)
{
    const unsigned char *p = *at;
    uint64_t value;
    if (p[0] < 251) {
        value = p[0];
        *at = p + 1;
    } else if (p[0] == 252) {
        value = p[1] | (uint64_t)p[2] << 8;
        *at = p + 3;
    } else {
        value = p[1] | (uint64_t)p[2] << 8 | (uint64_t)p[3] << 16;
        *at = p + 4;
    }
    return value;
}

/* One statement: one write of the query packet, the whole result read and stored, then its rows walked.
   Returns the rows of a SELECT, or the changed rows of a write. */
static long client_statement(const char *sql)
{
    static unsigned char query[65536];
    size_t length = strlen(sql) + 1;
    query[0] = length & 0xFF;
    query[1] = (length >> 8) & 0xFF;
    query[2] = (length >> 16) & 0xFF;
    query[3] = 0;
    query[4] = COM_QUERY;
    memcpy(query + 5, sql, length - 1);
    write_all(client_fd, query, length + 4);

    arena_used = 0;
    const unsigned char *first = client_packet(&length);
    if (first[0] == 0xFF) fail("server error on '%s': %.*s", sql, (int)length - 3, first + 3);
    if (first[0] == 0x00) {
        const unsigned char *at = first + 1;
        return (long)read_length(&at);
    }
    const unsigned char *at = first;
    int count = (int)read_length(&at);
    for (int c = 0; c < count; c++) client_packet(&length);
    client_packet(&length); /* EOF */
    size_t rows_start = arena_used;
    long rows = 0;
    for (;;) {
        size_t before = arena_used;
        const unsigned char *row = client_packet(&length);
        if (row[0] == 0xFE && length < 9) {
            arena_used = before;
            break;
        }
        if (row[0] == 0xFF) fail("server error on '%s'", sql);
        rows++;
    }
    /* Walk the stored rows (mysql_fetch_row over the stored result) and checksum every value. */
    const unsigned char *p = arena + rows_start;
    for (long r = 0; r < rows; r++) {
        for (int c = 0; c < count; c++) {
            if (*p == 0xFB) {
                checksum_value(NULL, 0, 1);
                p++;
            } else {
                uint32_t value_length = (uint32_t)read_length(&p);
                checksum_value(p, value_length, 0);
                p += value_length;
            }
        }
    }
    return rows;
}

static void client_quit(void)
{
    unsigned char quit[5] = { 1, 0, 0, 0, COM_QUIT };
    write_all(client_fd, quit, sizeof quit);
}

/* ---------------------------------------------------------------- the benchmark loop */

struct runner {
    long (*statement)(void *context, const char *sql);
    void *context;
};

static long run_local(void *context, const char *sql)
{
    return strncmp(sql, "select", 6) == 0 ? local_select(context, sql) : local_write(context, sql);
}

static long run_remote(void *context, const char *sql)
{
    (void)context;
    return client_statement(sql);
}

static void run_benchmark(struct runner run, const int *selected, int loops)
{
    static char sql[4096];
    long total = 0;
    for (int q = 1; q <= WRITE_BLOCK; q++) {
        if (!selected[q]) continue;
        if (q == WRITE_BLOCK) {
            long changed = 0;
            for (int w = 0; w < 14; w++) {
                write_sql(w, sql, sizeof sql);
                changed += run.statement(run.context, sql);
            }
            printf("query %d writes 14 changed %ld\n", q, changed);
            continue;
        }
        select_sql(q, sql, sizeof sql);
        long rows = 0;
        for (int l = 0; l < loops; l++) rows += run.statement(run.context, sql);
        printf("query %d rows %ld\n", q, rows);
        total += rows;
    }
    printf("total rows %ld\nchecksum %016" PRIx64 "\n", total, checksum);
}

static void usage(void)
{
    fail("usage: wisc --db PATH [--create] [--loops N] [--queries 1,2,5] [--cache PAGES]"
         " [--variant client-server|single|memory] [--seed S]");
}

int main(int argc, char **argv)
{
    const char *path = NULL, *variant = "client-server";
    int create = 0, loops = 1, cache_pages = 0;
    uint64_t seed = 1;
    int selected[WRITE_BLOCK + 1];
    for (int q = 0; q <= WRITE_BLOCK; q++) selected[q] = q > 0;
    for (int i = 1; i < argc; i++) {
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(argv[i], "--create") == 0) {
            create = 1;
            continue;
        }
        if (value == NULL) usage();
        if (strcmp(argv[i], "--db") == 0) path = value;
        else if (strcmp(argv[i], "--loops") == 0) loops = atoi(value);
        else if (strcmp(argv[i], "--cache") == 0) cache_pages = atoi(value);
        else if (strcmp(argv[i], "--variant") == 0) variant = value;
        else if (strcmp(argv[i], "--seed") == 0) seed = strtoull(value, NULL, 10);
        else if (strcmp(argv[i], "--queries") == 0) {
            for (int q = 0; q <= WRITE_BLOCK; q++) selected[q] = 0;
            for (const char *p = value; *p;) {
                char *end;
                long q = strtol(p, &end, 10);
                if (end == p || q < 1 || q > WRITE_BLOCK) usage();
                selected[q] = 1;
                p = *end == ',' ? end + 1 : end;
                if (*end != ',' && *end != '\0') usage();
            }
        } else usage();
        i++;
    }
    if (path == NULL || loops < 1) usage();
    if (create) {
        create_database(path, seed);
        return 0;
    }
    if (strcmp(variant, "single") == 0 || strcmp(variant, "memory") == 0) {
        sqlite3 *db = strcmp(variant, "single") == 0 ? open_database(path, cache_pages) : open_memory_copy(path);
        run_benchmark((struct runner){ run_local, db }, selected, loops);
        sqlite3_close(db);
        return 0;
    }
    if (strcmp(variant, "client-server") != 0) usage();

    int pair[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) < 0) fail("socketpair: %s", strerror(errno));
    fflush(stdout);
    pid_t server = fork();
    if (server < 0) fail("fork: %s", strerror(errno));
    if (server == 0) {
        close(pair[0]);
        server_fd = pair[1];
        run_server(path, cache_pages);
        _exit(0);
    }
    close(pair[1]);
    client_fd = pair[0];
    run_benchmark((struct runner){ run_remote, NULL }, selected, loops);
    client_quit();
    int status;
    if (waitpid(server, &status, 0) < 0) fail("waitpid: %s", strerror(errno));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) fail("server ended with status %d", status);
    return 0;
}
