"""What units do beyond publishing: direct communication activities and their attendance, press
coordination, good examples forwarded up the tree, training courses and who attended, each
unit's channels (fanpage, Zalo, union room, bulletin board) and its communication budget."""
