wrap: cells wrap at 8 bits: prints the bytes 255 and 0 then A
-.+.
>++++++++[<++++++++>-]<+.
