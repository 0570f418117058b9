/** The table form of a chart: what screen readers and the data-table view show. */
export interface DataTable {
  caption: string;
  columns: string[];
  /** Already formatted cells. */
  rows: string[][];
}
