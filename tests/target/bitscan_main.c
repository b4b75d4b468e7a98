/*
 * An image of bitscan_path.c alone: its constructor reports the bit-scan code
 * this image was compiled with and checks fls/ffs before main runs, so main
 * has nothing left to do. Built with the software fallback the board does not
 * use by default (targets/CMakeLists.txt), so that both fallbacks run on the
 * cores without a CLZ instruction.
 */
int main(void)
{
    return 0;
}
