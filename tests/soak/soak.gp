# The soak's samples (soak.sh: seconds, then RSS KiB, descriptors and
# threads of lgbrokerd, then of lgwebd), three panels over time.
# gnuplot -e "out='soak.png'; data='samples.txt'" soak.gp
set terminal pngcairo size 900,900 font ",10"
set output out
set multiplot layout 3,1 title "Lorgnette soak"
set xlabel "minutes"
set grid
set key top left
set ylabel "RSS (MiB)"
plot data using ($1/60):($2/1024) with linespoints title "lgbrokerd", \
     data using ($1/60):($5/1024) with linespoints title "lgwebd"
set ylabel "descriptors"
plot data using ($1/60):3 with linespoints title "lgbrokerd", \
     data using ($1/60):6 with linespoints title "lgwebd"
set ylabel "threads"
plot data using ($1/60):4 with linespoints title "lgbrokerd", \
     data using ($1/60):7 with linespoints title "lgwebd"
unset multiplot
